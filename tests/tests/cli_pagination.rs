//! Pagination of `ListHookResults` across several pages, through a loopback
//! server that answers by the request's `NextToken`: the library's
//! `list_hook_results_pages()` (`next_page`, `items`, `collect_items`) and
//! `hookctl cloudformation list-hook-results --all-pages` (one output, the
//! items of every page concatenated, no token). A service that hands out a
//! token it already gave ends paging with `RepeatedToken` instead of looping.

use lifecycle_hooks::cloudformation::{Client, ListHookResultsError, ListHookResultsInput, ListHookResultsTargetType};
use lifecycle_hooks::runtime::{AwsCredentials, Config, Error, RetryConfig};
use serde_json::{Value, json};
use tests::support::cli::Run;
use tests::support::http::{Received, Reply, Server};
use tests::support::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, REGION, form_pairs};

const TARGET: &str = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1";

/// One page: the token it answers, its items (hook type names), the token it gives.
type Page = (Option<&'static str>, &'static [&'static str], Option<&'static str>);

fn page_xml(items: &[&str], next: Option<&str>) -> String {
    let members: String = items.iter().map(|i| format!("<member><TypeName>{i}</TypeName><Status>HOOK_COMPLETE_SUCCEEDED</Status></member>")).collect();
    let results = if items.is_empty() { String::new() } else { format!("<HookResults>{members}</HookResults>") };
    let next = next.map(|t| format!("<NextToken>{t}</NextToken>")).unwrap_or_default();
    format!(
        r#"<ListHookResultsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListHookResultsResult><TargetType>CHANGE_SET</TargetType><TargetId>{TARGET}</TargetId>{results}{next}</ListHookResultsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListHookResultsResponse>"#
    )
}

fn token_of(request: &Received) -> Option<String> {
    form_pairs(&request.body).into_iter().find(|(k, _)| k == "NextToken").map(|(_, v)| v)
}

/// Answers each request with the page of its token (a 404 HookResultNotFound for an unknown one).
async fn paging_server(pages: &'static [Page]) -> Server {
    Server::start_with(move |request| {
        let token = token_of(request);
        match pages.iter().find(|(t, _, _)| t.map(str::to_owned) == token) {
            Some((_, items, next)) => Reply::new(200).body(page_xml(items, *next)),
            None => Reply::new(404).body(
                "<ErrorResponse><Error><Type>Sender</Type><Code>HookResultNotFound</Code><Message>no such page</Message></Error><RequestId>r404</RequestId></ErrorResponse>",
            ),
        }
    })
    .await
}

fn tokens_sent(server: &Server) -> Vec<Option<String>> {
    server.received().iter().map(token_of).collect()
}

fn client(server: &Server) -> Client {
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(server.url())
        .aws_credentials(AwsCredentials::new(AWS_ACCESS_KEY, AWS_SECRET_KEY, None))
        .retry(RetryConfig::disabled())
        .build();
    Client::new(config).unwrap()
}

fn input() -> ListHookResultsInput {
    ListHookResultsInput::new().target_type(ListHookResultsTargetType::ChangeSet).target_id(TARGET)
}

fn names(items: &[lifecycle_hooks::cloudformation::HookResultSummary]) -> Vec<&str> {
    items.iter().map(|i| i.type_name.as_deref().unwrap_or("?")).collect()
}

static THREE_PAGES: [Page; 3] =
    [(None, &["A::One", "A::Two"], Some("t1")), (Some("t1"), &[], Some("t2")), (Some("t2"), &["B::Three", "B::Four", "B::Five"], None)];

/// The third page hands out the first page's token again.
static LOOPING: [Page; 3] = [(None, &["A"], Some("t1")), (Some("t1"), &["B"], Some("t2")), (Some("t2"), &["C"], Some("t1"))];

// ------------------------------------------------------------------ the library

#[tokio::test]
async fn pages_follow_the_token_to_the_last_page() {
    let server = paging_server(&THREE_PAGES).await;
    let mut pages = client(&server).list_hook_results_pages(input());
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        seen.push((names(page.hook_results.as_deref().unwrap_or_default()).join(","), page.next_token.clone()));
    }
    assert_eq!(
        seen,
        [
            ("A::One,A::Two".to_owned(), Some("t1".to_owned())),
            (String::new(), Some("t2".to_owned())),
            ("B::Three,B::Four,B::Five".to_owned(), None)
        ]
    );
    assert!(pages.next_page().await.is_none(), "stays done");
    assert_eq!(tokens_sent(&server), [None, Some("t1".into()), Some("t2".into())]);

    let all = client(&server).list_hook_results_pages(input()).collect_items().await.unwrap();
    assert_eq!(names(&all), ["A::One", "A::Two", "B::Three", "B::Four", "B::Five"]);

    let mut items = client(&server).list_hook_results_pages(input().next_token("t2")).items();
    let mut streamed = Vec::new();
    while let Some(item) = items.next_item().await {
        streamed.push(item.unwrap().type_name.unwrap());
    }
    assert_eq!(streamed, ["B::Three", "B::Four", "B::Five"], "starts from the given token");
}

#[tokio::test]
async fn an_empty_token_is_the_last_page() {
    static PAGES: [Page; 2] = [(None, &["A"], Some("t1")), (Some("t1"), &["B"], Some(""))];
    let server = paging_server(&PAGES).await;
    let all = client(&server).list_hook_results_pages(input()).collect_items().await.unwrap();
    assert_eq!(names(&all), ["A", "B"]);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_repeated_token_ends_paging_with_an_error() {
    let server = paging_server(&LOOPING).await;
    let mut pages = client(&server).list_hook_results_pages(input());
    for want in ["A", "B", "C"] {
        let page = pages.next_page().await.unwrap().unwrap();
        assert_eq!(names(page.hook_results.as_deref().unwrap()), [want]);
    }
    match pages.next_page().await {
        Some(Err(Error::RepeatedToken { token })) => assert_eq!(token, "t1"),
        other => panic!("expected RepeatedToken, got {other:?}"),
    }
    assert!(pages.next_page().await.is_none());
    assert_eq!(server.received().len(), 3, "the repeated token is never sent");

    let err = client(&server).list_hook_results_pages(input()).collect_items().await.unwrap_err();
    assert!(matches!(&err, Error::RepeatedToken { token } if token == "t1"), "{err:?}");
    assert_eq!(err.code(), "RepeatedPaginationToken");
    assert!(!err.is_retryable());

    let mut items = client(&server).list_hook_results_pages(input()).items();
    let mut got = Vec::new();
    let error = loop {
        match items.next_item().await {
            Some(Ok(item)) => got.push(item.type_name.unwrap()),
            Some(Err(e)) => break e,
            None => panic!("ended without the error"),
        }
    };
    assert_eq!(got, ["A", "B", "C"]);
    assert!(matches!(error, Error::RepeatedToken { .. }));
    assert!(items.next_item().await.is_none());
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_paging() {
    static BROKEN: [Page; 1] = [(None, &["A"], Some("gone"))];
    let server = paging_server(&BROKEN).await;
    let mut pages = client(&server).list_hook_results_pages(input());
    assert!(pages.next_page().await.unwrap().is_ok());
    let err = pages.next_page().await.unwrap().unwrap_err();
    assert!(matches!(err.as_service_error(), Some(ListHookResultsError::HookResultNotFoundException(_))), "{err:?}");
    assert!(pages.next_page().await.is_none());
}

// ------------------------------------------------------------------ hookctl

fn hookctl(server: &Server) -> Run {
    Run::hookctl(["cloudformation", "list-hook-results", "--target-type", "CHANGE_SET", "--target-id", TARGET])
        .args(["--endpoint-url", &server.url(), "--max-attempts", "1"])
}

fn item(name: &str) -> Value {
    json!({"TypeName": name, "Status": "HOOK_COMPLETE_SUCCEEDED"})
}

#[tokio::test]
async fn all_pages_prints_one_output_with_every_item() {
    let server = paging_server(&THREE_PAGES).await;
    let out = hookctl(&server).arg("--all-pages").run_async().await;
    out.assert_code(0);
    assert_eq!(
        out.json(),
        json!({
            "TargetType": "CHANGE_SET",
            "TargetId": TARGET,
            "HookResults": [item("A::One"), item("A::Two"), item("B::Three"), item("B::Four"), item("B::Five")]
        })
    );
    assert_eq!(tokens_sent(&server), [None, Some("t1".into()), Some("t2".into())]);

    // From a given token on.
    let server = paging_server(&THREE_PAGES).await;
    let out = hookctl(&server).args(["--all-pages", "--next-token", "t1"]).run_async().await;
    out.assert_code(0);
    assert_eq!(out.json()["HookResults"], json!([item("B::Three"), item("B::Four"), item("B::Five")]));
    assert_eq!(tokens_sent(&server), [Some("t1".into()), Some("t2".into())]);
}

#[tokio::test]
async fn without_all_pages_one_page_and_its_token() {
    let server = paging_server(&THREE_PAGES).await;
    let out = hookctl(&server).run_async().await;
    out.assert_code(0);
    let v = out.json();
    assert_eq!(v["HookResults"], json!([item("A::One"), item("A::Two")]));
    assert_eq!(v["NextToken"], "t1");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn all_pages_fails_cleanly_on_a_repeated_token() {
    let server = paging_server(&LOOPING).await;
    let out = hookctl(&server).arg("--all-pages").run_async().await;
    out.assert_code(5);
    assert!(out.stdout.is_empty(), "no partial output:\n{out}");
    let e = out.error();
    assert_eq!(e["kind"], "RepeatedToken");
    assert_eq!(e["code"], "RepeatedPaginationToken");
    assert_eq!(e["retryable"], false);
    assert!(e["message"].as_str().unwrap().contains("\"t1\""), "{e}");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn all_pages_fails_cleanly_on_an_error_answer() {
    static BROKEN: [Page; 2] = [(None, &["A"], Some("t1")), (Some("t1"), &["B"], Some("gone"))];
    let server = paging_server(&BROKEN).await;
    let out = hookctl(&server).arg("--all-pages").run_async().await;
    out.assert_code(4);
    assert!(out.stdout.is_empty(), "{out}");
    let e = out.error();
    assert_eq!(e["kind"], "HookResultNotFoundException");
    assert_eq!(e["request_id"], "r404");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn dry_run_with_all_pages_shows_the_first_request() {
    let server = paging_server(&THREE_PAGES).await;
    let out = hookctl(&server).args(["--all-pages", "--dry-run"]).run_async().await;
    out.assert_code(0);
    assert!(!out.json()["body"].as_str().unwrap().contains("NextToken"));
    assert!(server.received().is_empty());
}
