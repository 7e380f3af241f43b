//! TLS on loopback: rustls servers of our own on 127.0.0.1 with a test CA
//! made here (rcgen), and raw sockets that speak just enough TLS to fail in a
//! chosen way. A call succeeds when the CA is trusted (added to the config,
//! or in the platform's store), and every certificate or handshake that must
//! fail does, as a `Transport(Connect)` error naming the reason, within the
//! connect timeout, with no request reaching the server.
//!
//! The platform verifier on Linux reads the system's roots (or `SSL_CERT_FILE`,
//! which the platform-store test sets in a child process of its own: a test
//! cannot change its own environment safely).

mod common;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::*;
use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::{
    ConfigBuilder, ConfigError, Error, Handle, OperationMeta, Request, Response, TransportError, TransportErrorKind,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, date_time_ymd,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

static SEND: OperationMeta = OperationMeta::new("SendWorkflowStepState", "POST", 200);

/// Short enough that a stalled handshake ends the test quickly; every other
/// failure here must come well before it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

// ---------------------------------------------------------------------------
// The test PKI.

type Ca = CertifiedIssuer<'static, KeyPair>;

fn new_ca(name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A certificate chain (leaf first) and its key.
struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

fn server_params(names: &[&str]) -> CertificateParams {
    let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("no name"));
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params
}

fn signed(params: CertificateParams, by: &Ca) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, by).unwrap();
    Leaf { chain: vec![cert.der().clone()], key: PrivatePkcs8KeyDer::from(key.serialize_der()).into() }
}

fn leaf(names: &[&str], by: &Ca) -> Leaf {
    signed(server_params(names), by)
}

// ---------------------------------------------------------------------------
// Servers.

/// An HTTPS keep-alive server: counts TCP connections, completed handshakes
/// and requests; answers each request `200 {}`; with `close_after_answer`, closes
/// the connection (close_notify, then FIN) right behind each answer.
struct TlsServer {
    addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    handshakes: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

impl TlsServer {
    async fn start(leaf: Leaf, close_after_answer: bool) -> TlsServer {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(leaf.chain, leaf.key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let counters = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (accepted, handshakes, requests) = counters.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (acceptor, handshakes, requests) = (acceptor.clone(), handshakes.clone(), requests.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                    handshakes.fetch_add(1, Ordering::SeqCst);
                    let mut buf = Vec::new();
                    while read_request(&mut tls, &mut buf).await {
                        requests.fetch_add(1, Ordering::SeqCst);
                        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-amzn-RequestId: tls\r\n\r\n{}";
                        if tls.write_all(answer).await.is_err() || tls.flush().await.is_err() {
                            return;
                        }
                        if close_after_answer {
                            let _ = tls.shutdown().await;
                            return;
                        }
                    }
                });
            }
        });
        let (accepted, handshakes, requests) = counters;
        TlsServer { addr, accepted, handshakes, requests }
    }

    fn counts(&self) -> (u64, u64, u64) {
        let get = |c: &AtomicU64| c.load(Ordering::SeqCst);
        (get(&self.accepted), get(&self.handshakes), get(&self.requests))
    }
}

/// Reads one request (head and `Content-Length` body) out of `buf` and the
/// stream; false at EOF or on an error.
async fn read_request(stream: &mut (impl tokio::io::AsyncRead + Unpin), buf: &mut Vec<u8>) -> bool {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap_or(0));
            if buf.len() >= end + 4 + length {
                buf.drain(..end + 4 + length);
                return true;
            }
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A TCP server that reads the client's first TLS record (its ClientHello),
/// then does what `then` says with the socket. Counts the ClientHellos it saw.
struct RawServer {
    addr: SocketAddr,
    hellos: Arc<AtomicU64>,
}

impl RawServer {
    async fn start<F, Fut>(then: F) -> RawServer
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hellos = Arc::new(AtomicU64::new(0));
        let (seen, then) = (hellos.clone(), Arc::new(then));
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                let (seen, then) = (seen.clone(), then.clone());
                tokio::spawn(async move {
                    let mut head = [0u8; 5];
                    if tcp.read_exact(&mut head).await.is_err() || head[0] != 0x16 {
                        return;
                    }
                    let mut hello = vec![0u8; u16::from_be_bytes([head[3], head[4]]) as usize];
                    if tcp.read_exact(&mut hello).await.is_err() || hello.first() != Some(&1) {
                        return;
                    }
                    seen.fetch_add(1, Ordering::SeqCst);
                    then(tcp).await;
                });
            }
        });
        RawServer { addr, hellos }
    }

    fn hellos(&self) -> u64 {
        self.hellos.load(Ordering::SeqCst)
    }
}

/// A ServerHello as a TLS 1.0-only server sends it (legacy_version 3.1, no
/// supported_versions extension, TLS_RSA_WITH_AES_128_CBC_SHA), in a TLS 1.0 record.
fn tls10_server_hello() -> Vec<u8> {
    let mut body = vec![0x03, 0x01];
    body.extend_from_slice(&[0x5a; 32]); // random
    body.push(0); // no session id
    body.extend_from_slice(&[0x00, 0x2f]); // TLS_RSA_WITH_AES_128_CBC_SHA
    body.push(0); // no compression
    let mut handshake = vec![0x02, 0, 0, body.len() as u8];
    handshake.extend_from_slice(&body);
    let mut record = vec![0x16, 0x03, 0x01, 0, handshake.len() as u8];
    record.extend_from_slice(&handshake);
    record
}

// ---------------------------------------------------------------------------
// Calls.

fn body_len(r: &Response) -> Result<usize, String> {
    Ok(r.body.len())
}

fn request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-0123456789abcdef0"}"#.to_vec())
}

fn handle_for(url: String, configure: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Result<Handle, ConfigError> {
    let config = configure(vector_config().endpoint_url(url).connect_timeout(CONNECT_TIMEOUT)).build();
    Handle::new(&TRANSFER, config)
}

fn https(addr: SocketAddr) -> String {
    format!("https://{addr}")
}

async fn call(h: &Handle) -> Result<usize, Error<TestError>> {
    h.call(&SEND, request(), body_len, json_err).await
}

/// Far above what a handshake takes, and above the connect timeout.
async fn within<T>(what: &str, work: impl Future<Output = T>) -> T {
    tokio::time::timeout(CONNECT_TIMEOUT + Duration::from_secs(10), work)
        .await
        .unwrap_or_else(|_| panic!("{what}: no result after the connect timeout and 10 s more"))
}

/// The call fails as `Transport(Connect)` with a message holding each of `expected`.
fn assert_connect_error(what: &str, result: Result<usize, Error<TestError>>, expected: &[&str]) {
    match result {
        Err(Error::Transport(TransportError { kind: TransportErrorKind::Connect, message })) => {
            for part in expected {
                assert!(message.contains(part), "{what}: {message:?} does not say {part:?}");
            }
            assert!(message.contains("TLS handshake with 127.0.0.1:"), "{what}: {message:?}");
        }
        other => panic!("{what}: expected a Transport(Connect) error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn a_call_succeeds_when_the_test_ca_is_added_and_the_connection_is_reused() {
    let ca = new_ca("lifecycle-hooks test CA");
    let server = TlsServer::start(leaf(&["127.0.0.1", "localhost"], &ca), false).await;
    let h = handle_for(https(server.addr), |b| b.add_root_certificate(ca.der().to_vec())).unwrap();
    within("10 calls", async {
        for _ in 0..10 {
            assert_eq!(call(&h).await.unwrap(), 2);
        }
    })
    .await;
    // One connection, one handshake, ten requests: the pool keeps TLS connections too.
    assert_eq!(server.counts(), (1, 1, 10));
    assert_eq!(h.attempts(), 10);

    // By host name, with the CA from a PEM bundle (text around the block is skipped).
    let pem = format!("# corporate CA\n{}\ntrailing text\n", ca.pem());
    let by_name = format!("https://localhost:{}", server.addr.port());
    let h = handle_for(by_name, |b| b.add_root_certificates_pem(pem).unwrap()).unwrap();
    within("a call by name", call(&h)).await.unwrap();
    assert_eq!(server.counts(), (2, 2, 11));
}

#[tokio::test]
async fn a_server_closing_after_each_answer_over_tls_costs_no_attempt() {
    let ca = new_ca("test CA");
    let server = TlsServer::start(leaf(&["127.0.0.1"], &ca), true).await;
    let h = handle_for(https(server.addr), |b| b.add_root_certificate(ca.der().to_vec())).unwrap();
    within("10 calls", async {
        for _ in 0..10 {
            call(&h).await.unwrap();
            // Let the close_notify and FIN arrive before the next call looks at the pool.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert_eq!(server.counts(), (10, 10, 10));
    assert_eq!(h.attempts(), 10, "a closed TLS connection was tried again");
}

#[tokio::test]
async fn the_default_verifier_refuses_a_certificate_of_an_unknown_ca() {
    let ca = new_ca("not trusted anywhere");
    let server = TlsServer::start(leaf(&["127.0.0.1"], &ca), false).await;
    // Config::builder() as users get it: the platform's roots only.
    let h = handle_for(https(server.addr), |b| b).unwrap();
    let result = within("an untrusted certificate", call(&h)).await;
    assert_connect_error("untrusted", result, &["invalid peer certificate", "UnknownIssuer"]);
    let (accepted, handshakes, requests) = server.counts();
    assert_eq!((accepted, handshakes, requests), (1, 0, 0), "the handshake must not complete");
}

#[tokio::test]
async fn a_wrong_host_name_is_refused_even_with_the_ca_trusted() {
    let ca = new_ca("test CA");
    let server = TlsServer::start(leaf(&["other.invalid"], &ca), false).await;
    let h = handle_for(https(server.addr), |b| b.add_root_certificate(ca.der().to_vec())).unwrap();
    let result = within("a wrong name", call(&h)).await;
    assert_connect_error("wrong name", result, &["certificate not valid for name \"127.0.0.1\"", "other.invalid"]);
    assert_eq!(server.counts().2, 0);
}

#[tokio::test]
async fn an_expired_certificate_is_refused_even_with_the_ca_trusted() {
    let ca = new_ca("test CA");
    let mut params = server_params(&["127.0.0.1"]);
    (params.not_before, params.not_after) = (date_time_ymd(2001, 1, 1), date_time_ymd(2002, 1, 1));
    let server = TlsServer::start(signed(params, &ca), false).await;
    let h = handle_for(https(server.addr), |b| b.add_root_certificate(ca.der().to_vec())).unwrap();
    let result = within("an expired certificate", call(&h)).await;
    assert_connect_error("expired", result, &["certificate expired", "not valid after 1009843200"]);
    assert_eq!(server.counts().2, 0);
}

/// What the verifier must refuse besides the cases above, with the test CA
/// trusted: each server's certificate is wrong in one way only.
#[tokio::test]
async fn the_verifier_never_accepts_what_it_should_not() {
    let ca = new_ca("test CA");
    let other_ca = new_ca("another CA");
    let mut cases: Vec<(&str, Leaf, &[&str])> = Vec::new();

    let mut params = server_params(&["127.0.0.1"]);
    (params.not_before, params.not_after) = (date_time_ymd(2090, 1, 1), date_time_ymd(2091, 1, 1));
    cases.push(("not yet valid", signed(params, &ca), &["certificate not valid yet", "not valid before 3786912000"]));

    cases.push(("signed by a CA that is not trusted", leaf(&["127.0.0.1"], &other_ca), &["UnknownIssuer"]));

    let self_signed = {
        let key = KeyPair::generate().unwrap();
        let cert = server_params(&["127.0.0.1"]).self_signed(&key).unwrap();
        Leaf { chain: vec![cert.der().clone()], key: PrivatePkcs8KeyDer::from(key.serialize_der()).into() }
    };
    cases.push(("self-signed", self_signed, &["UnknownIssuer"]));

    let mut params = server_params(&["127.0.0.1"]);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    cases.push(("for client authentication only", signed(params, &ca), &["EkuError"]));

    // A leaf (not a CA) that signs the server's certificate: a chain through it is not valid.
    let mut not_ca = server_params(&["intermediate.invalid"]);
    not_ca.is_ca = IsCa::ExplicitNoCa;
    let not_ca = CertifiedIssuer::signed_by(not_ca, KeyPair::generate().unwrap(), &ca).unwrap();
    let mut through = leaf(&["127.0.0.1"], &not_ca);
    through.chain.push(not_ca.der().clone());
    cases.push(("issued by a certificate that is not a CA", through, &["invalid peer certificate"]));

    // The CA's own certificate presented as the server's (it has no name for 127.0.0.1 either).
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = server_params(&["127.0.0.1"]);
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_as_server = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let ca_as_server_leaf = Leaf {
        chain: vec![ca_as_server.der().clone()],
        key: PrivatePkcs8KeyDer::from(ca_as_server.key().serialize_der()).into(),
    };
    cases.push(("a CA certificate as the server's", ca_as_server_leaf, &["invalid peer certificate"]));

    let count = cases.len();
    for (what, leaf, expected) in cases {
        let server = TlsServer::start(leaf, false).await;
        let h = handle_for(https(server.addr), |b| b.add_root_certificate(ca.der().to_vec())).unwrap();
        let result = within(what, call(&h)).await;
        assert_connect_error(what, result, expected);
        assert_eq!(server.counts().2, 0, "{what}: a request reached the server");
        // The platform's roots alone refuse it too.
        let h = handle_for(https(server.addr), |b| b).unwrap();
        assert_connect_error(what, within(what, call(&h)).await, &["invalid peer certificate"]);
    }
    assert_eq!(count, 6);
}

#[tokio::test]
async fn a_tls_1_0_only_server_is_refused() {
    // A rustls server cannot speak TLS 1.0, and a TLS 1.2 server of the ring
    // provider offers nothing the client refuses: this is what a TLS 1.0-only
    // server answers to a modern ClientHello.
    let server = RawServer::start(|mut tcp| async move {
        let _ = tcp.write_all(&tls10_server_hello()).await;
        // Keep the socket open: the client must give up on its own, not on a close.
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(30), tcp.read_to_end(&mut rest)).await;
    })
    .await;
    let h = handle_for(https(server.addr), |b| b).unwrap();
    let result = within("TLS 1.0", call(&h)).await;
    assert_connect_error("TLS 1.0", result, &["peer is incompatible", "ServerDoesNotSupportTls12Or13"]);
    assert_eq!(server.hellos(), 1);
}

#[tokio::test]
async fn a_handshake_cut_midway_is_a_connect_error_and_a_stalled_one_times_out() {
    // Half a ServerHello, then FIN; then the same with a reset.
    for reset in [false, true] {
        let server = RawServer::start(move |mut tcp| async move {
            let hello = tls10_server_hello();
            let _ = tcp.write_all(&hello[..hello.len() / 2]).await;
            let _ = tcp.flush().await;
            if reset {
                let _ = tcp.set_zero_linger();
            }
        })
        .await;
        let h = handle_for(https(server.addr), |b| b).unwrap();
        let what = if reset { "cut by a reset" } else { "cut by a close" };
        let result = within(what, call(&h)).await;
        match &result {
            Err(Error::Transport(TransportError { kind: TransportErrorKind::Connect, message })) => {
                assert!(message.contains("TLS handshake with 127.0.0.1:"), "{what}: {message}");
            }
            other => panic!("{what}: expected a Transport(Connect) error, got {other:?}"),
        }
        assert_eq!(server.hellos(), 1, "{what}");
    }

    // Half a ServerHello and then nothing: the connect timeout (which covers
    // the handshake) ends it, not the 60 s attempt timeout.
    let server = RawServer::start(|mut tcp| async move {
        let hello = tls10_server_hello();
        let _ = tcp.write_all(&hello[..hello.len() / 2]).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let h = handle_for(https(server.addr), |b| b).unwrap();
    match within("a stalled handshake", call(&h)).await {
        Err(Error::Transport(TransportError { kind: TransportErrorKind::Connect, message })) => {
            assert!(message.ends_with(&format!("timed out after {CONNECT_TIMEOUT:?}")), "{message}");
        }
        other => panic!("a stalled handshake: expected the connect timeout, got {other:?}"),
    }
    assert_eq!((server.hellos(), h.attempts()), (1, 1));
}

#[test]
fn an_added_root_that_is_not_a_certificate_is_a_config_error() {
    let err = handle_for("https://127.0.0.1:9".into(), |b| b.add_root_certificate(b"not DER".to_vec())).unwrap_err();
    assert!(matches!(&err, ConfigError::Tls(m) if m.contains("an added root certificate cannot be used")), "{err}");
    let err = vector_config().add_root_certificates_pem("no certificate here").unwrap_err();
    assert!(matches!(&err, ConfigError::Tls(m) if m.contains("no PEM certificate")), "{err}");
    let broken = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    let err = vector_config().add_root_certificates_pem(broken).unwrap_err();
    assert!(matches!(&err, ConfigError::Tls(m) if m.contains("unreadable PEM certificate")), "{err}");
    // Plain http never reads them.
    assert!(handle_for("http://127.0.0.1:9".into(), |b| b.add_root_certificate(b"x".to_vec())).is_ok());
}

/// The platform's store stays in use when a root is added: with
/// `SSL_CERT_FILE` naming a "platform" CA (in a child process), a server of
/// that CA is accepted with and without an added root, and a server of the
/// added CA only with it.
#[test]
fn added_roots_keep_the_platform_roots() {
    const CHILD: &str = "LIFECYCLE_HOOKS_TLS_CHILD_DIR";
    if let Ok(dir) = std::env::var(CHILD) {
        return platform_roots_child(std::path::Path::new(&dir));
    }
    let dir = std::env::temp_dir().join(format!("lifecycle-hooks-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let platform = new_ca("platform CA");
    let platform_leaf = leaf(&["127.0.0.1"], &platform);
    std::fs::write(dir.join("platform-ca.pem"), platform.pem()).unwrap();
    std::fs::write(dir.join("platform-leaf.der"), &platform_leaf.chain[0]).unwrap();
    std::fs::write(dir.join("platform-leaf.key"), platform_leaf.key.secret_der()).unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "added_roots_keep_the_platform_roots", "--nocapture", "--test-threads=1"])
        .env(CHILD, &dir)
        .env("SSL_CERT_FILE", dir.join("platform-ca.pem"))
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the child failed:\n{text}");
    assert!(text.contains("platform roots: 4 checks passed"), "the child did not run its checks:\n{text}");
}

fn platform_roots_child(dir: &std::path::Path) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let platform_leaf = Leaf {
            chain: vec![CertificateDer::from(std::fs::read(dir.join("platform-leaf.der")).unwrap())],
            key: PrivatePkcs8KeyDer::from(std::fs::read(dir.join("platform-leaf.key")).unwrap()).into(),
        };
        let added = new_ca("added CA");
        let platform_server = TlsServer::start(platform_leaf, false).await;
        let added_server = TlsServer::start(leaf(&["127.0.0.1"], &added), false).await;
        let with_root = |b: ConfigBuilder| b.add_root_certificate(added.der().to_vec());
        let mut passed = 0;
        // The platform's CA, without and with an added root.
        within("platform CA", call(&handle_for(https(platform_server.addr), |b| b).unwrap())).await.unwrap();
        passed += 1;
        within("platform CA", call(&handle_for(https(platform_server.addr), with_root).unwrap())).await.unwrap();
        passed += 1;
        // The added CA: only with it.
        let refused = within("added CA", call(&handle_for(https(added_server.addr), |b| b).unwrap())).await;
        assert_connect_error("added CA, not added", refused, &["UnknownIssuer"]);
        passed += 1;
        within("added CA", call(&handle_for(https(added_server.addr), with_root).unwrap())).await.unwrap();
        passed += 1;
        println!("platform roots: {passed} checks passed");
    });
}
