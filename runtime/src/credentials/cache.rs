//! The credentials a configuration signs with: fixed ones, or a provider's,
//! cached until shortly before they expire and refreshed by one caller at a
//! time (the others wait for its answer, then use it).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::{AwsCredentials, CredentialsError, Precheck, ProvideAwsCredentials};
#[cfg(feature = "huawei")]
use super::{HuaweiCredentials, ProvideHuaweiCredentials};
use crate::sign::sigv4::SigningIdentity;

/// Credentials with this little time left are never used to sign.
const MIN_LEFT: Duration = Duration::from_secs(10);
/// After a failed refresh, credentials still valid are used this long before asking again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// What can expire.
pub(crate) trait Expiring {
    fn expires_at(&self) -> Option<SystemTime>;
}

/// AWS credentials with the identity aws-sigv4 signs with, made once per refresh.
pub(crate) struct AwsIdentity {
    pub(crate) credentials: AwsCredentials,
    pub(crate) signing: SigningIdentity,
}

impl AwsIdentity {
    pub(crate) fn new(credentials: AwsCredentials) -> Self {
        let signing = SigningIdentity::new(&credentials);
        Self { credentials, signing }
    }
}

impl Expiring for AwsIdentity {
    fn expires_at(&self) -> Option<SystemTime> {
        self.credentials.expires_at()
    }
}

#[cfg(feature = "huawei")]
impl Expiring for HuaweiCredentials {
    fn expires_at(&self) -> Option<SystemTime> {
        HuaweiCredentials::expires_at(self)
    }
}

struct State<T> {
    current: Option<Arc<T>>,
    failed_at: Option<Instant>,
}

/// A provider's credentials, cached.
pub(crate) struct Cache<T> {
    state: Mutex<State<T>>,
    /// Held by the one caller that refreshes.
    refresh: tokio::sync::Mutex<()>,
    /// Refreshed when less than this is left.
    ahead: Duration,
}

fn left(t: &impl Expiring, now: SystemTime) -> Option<Duration> {
    t.expires_at().map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
}

impl<T: Expiring> Cache<T> {
    pub(crate) fn new(ahead: Duration) -> Self {
        Self {
            state: Mutex::new(State { current: None, failed_at: None }),
            refresh: tokio::sync::Mutex::new(()),
            ahead,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached credentials if they can still sign (`MIN_LEFT` or more to go).
    pub(crate) fn usable(&self) -> Option<Arc<T>> {
        let now = SystemTime::now();
        self.state().current.clone().filter(|c| left(c.as_ref(), now).is_none_or(|l| l > MIN_LEFT))
    }

    /// Usable, and either not due for a refresh or a refresh failed just now.
    fn fresh(&self) -> Option<Arc<T>> {
        let now = SystemTime::now();
        let state = self.state();
        let current = state.current.clone()?;
        match left(current.as_ref(), now) {
            None => Some(current),
            Some(l) if l > self.ahead => Some(current),
            Some(l) if l > MIN_LEFT && state.failed_at.is_some_and(|at| at.elapsed() < RETRY_AFTER_FAILURE) => {
                Some(current)
            }
            Some(_) => None,
        }
    }

    pub(crate) fn store(&self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        let mut state = self.state();
        state.current = Some(Arc::clone(&value));
        state.failed_at = None;
        value
    }

    /// The cached credentials, or `fetch`'s when they are due for a refresh.
    /// Should the refresh fail, credentials that can still sign are used.
    pub(crate) async fn get(
        &self,
        source: &str,
        fetch: impl Future<Output = Result<T, CredentialsError>>,
    ) -> Result<Arc<T>, CredentialsError> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let _refreshing = self.refresh.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let outcome = fetch.await.and_then(|value| match left(&value, SystemTime::now()) {
            Some(l) if l <= MIN_LEFT => {
                Err(CredentialsError::new(source, "the credentials it gave are expired or expire within seconds"))
            }
            _ => Ok(value),
        });
        match outcome {
            Ok(value) => {
                crate::trace::credentials_refreshed(source, value.expires_at());
                Ok(self.store(value))
            }
            Err(e) => {
                self.state().failed_at = Some(Instant::now());
                match self.usable() {
                    Some(c) => {
                        crate::trace::credentials_refresh_failed(source, &e, true);
                        Ok(c)
                    }
                    None => {
                        crate::trace::credentials_refresh_failed(source, &e, false);
                        Err(e)
                    }
                }
            }
        }
    }
}

type PrecheckFn<T> = Box<dyn Fn() -> Precheck<T> + Send + Sync>;

/// Credentials of one vendor for a configuration: fixed, or a provider's (cached).
pub(crate) enum Slot<T, P: ?Sized> {
    Fixed(Arc<T>),
    Provided { provider: Arc<P>, precheck: Option<Arc<PrecheckFn<T>>>, cache: Arc<Cache<T>>, name: &'static str },
}

impl<T, P: ?Sized> Clone for Slot<T, P> {
    fn clone(&self) -> Self {
        match self {
            Slot::Fixed(t) => Slot::Fixed(Arc::clone(t)),
            Slot::Provided { provider, precheck, cache, name } => Slot::Provided {
                provider: Arc::clone(provider),
                precheck: precheck.clone(),
                cache: Arc::clone(cache),
                name,
            },
        }
    }
}

impl<T, P: ?Sized> fmt::Debug for Slot<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::Fixed(_) => f.write_str("Fixed(** redacted **)"),
            Slot::Provided { name, .. } => write!(f, "Provided({name})"),
        }
    }
}

/// AWS credentials of a configuration.
pub(crate) type AwsSlot = Slot<AwsIdentity, dyn ProvideAwsCredentials>;
/// Huawei Cloud credentials of a configuration.
#[cfg(feature = "huawei")]
pub(crate) type HuaweiSlot = Slot<HuaweiCredentials, dyn ProvideHuaweiCredentials>;

/// How far ahead of expiry AWS credentials are refreshed (as the AWS SDKs' 5 minutes).
pub(crate) const AWS_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// How far ahead Huawei credentials are refreshed (huaweicloudsdkcore's 40 minutes).
#[cfg(feature = "huawei")]
pub(crate) const HUAWEI_REFRESH_AHEAD: Duration = Duration::from_secs(40 * 60);

impl<T: Expiring, P: ?Sized> Slot<T, P> {
    pub(crate) fn provided(
        provider: Arc<P>,
        precheck: Option<PrecheckFn<T>>,
        ahead: Duration,
        name: &'static str,
    ) -> Self {
        Slot::Provided { provider, precheck: precheck.map(Arc::new), cache: Arc::new(Cache::new(ahead)), name }
    }

    /// What is known without the network; fills the cache with it. `Err` when no source can give credentials.
    pub(crate) fn precheck(&self) -> Result<(), CredentialsError> {
        match self {
            Slot::Fixed(_) => Ok(()),
            Slot::Provided { precheck: None, .. } => Ok(()),
            Slot::Provided { precheck: Some(check), cache, .. } => match check() {
                Precheck::Ready(value) => {
                    if cache.usable().is_none() {
                        cache.store(value);
                    }
                    Ok(())
                }
                Precheck::Lazy => Ok(()),
                Precheck::Nothing(e) => Err(e),
            },
        }
    }

    /// The credentials to sign with now, if they are known and valid.
    pub(crate) fn current(&self) -> Option<Arc<T>> {
        match self {
            Slot::Fixed(t) => Some(Arc::clone(t)),
            Slot::Provided { cache, .. } => cache.usable(),
        }
    }

    /// Where the credentials come from, for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Slot::Fixed(_) => "explicit credentials",
            Slot::Provided { name, .. } => name,
        }
    }
}

impl AwsSlot {
    /// Valid credentials, from the provider when the cached ones are due.
    pub(crate) async fn resolve(&self) -> Result<Arc<AwsIdentity>, CredentialsError> {
        match self {
            Slot::Fixed(t) => Ok(Arc::clone(t)),
            Slot::Provided { provider, cache, name, .. } => {
                cache.get(name, async { provider.provide_aws_credentials().await.map(AwsIdentity::new) }).await
            }
        }
    }
}

#[cfg(feature = "huawei")]
impl HuaweiSlot {
    /// Valid credentials, from the provider when the cached ones are due.
    pub(crate) async fn resolve(&self) -> Result<Arc<HuaweiCredentials>, CredentialsError> {
        match self {
            Slot::Fixed(t) => Ok(Arc::clone(t)),
            Slot::Provided { provider, cache, name, .. } => {
                cache.get(name, provider.provide_huawei_credentials()).await
            }
        }
    }
}
