//! A next-page token that breaks the model's bound (`NextToken`: 1..=1024
//! characters) is the service's business, not the caller's invalid input:
//! the paginators validate the caller's input on the first page only, then
//! follow tokens as the service sent them (as botocore does), through the
//! library's paginator and `hookctl --all-pages`. The caller's own token of
//! the same length is still refused before anything is sent.

use lifecycle_hooks::cloudformation::{Client, ListHookResultsInput, ListHookResultsTargetType};
use lifecycle_hooks::runtime::{AwsCredentials, Config, Error, RetryConfig};
use serde_json::json;
use tests::support::cli::Run;
use tests::support::http::{Received, Reply, Server};
use tests::support::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, REGION, form_pairs};

const TARGET: &str = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1";
/// The model's bound on `NextToken`.
const MAX_TOKEN: usize = 1024;

fn long_token() -> String {
    "t".repeat(MAX_TOKEN * 2)
}

fn page_xml(item: &str, next: Option<&str>) -> String {
    let next = next.map(|t| format!("<NextToken>{t}</NextToken>")).unwrap_or_default();
    format!(
        r#"<ListHookResultsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListHookResultsResult><TargetType>CHANGE_SET</TargetType><TargetId>{TARGET}</TargetId><HookResults><member><TypeName>{item}</TypeName></member></HookResults>{next}</ListHookResultsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListHookResultsResponse>"#
    )
}

fn token_of(request: &Received) -> Option<String> {
    form_pairs(&request.body).into_iter().find(|(k, _)| k == "NextToken").map(|(_, v)| v)
}

/// Page 1 hands out a token twice the model's bound; page 2 (asked with it) is the last.
async fn server() -> Server {
    Server::start_with(|request| match token_of(request) {
        None => Reply::new(200).body(page_xml("A::First", Some(&long_token()))),
        Some(t) if t == long_token() => Reply::new(200).body(page_xml("B::Second", None)),
        Some(_) => Reply::new(404).body(
            "<ErrorResponse><Error><Code>HookResultNotFound</Code><Message>no such page</Message></Error></ErrorResponse>",
        ),
    })
    .await
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

#[tokio::test]
async fn the_library_follows_a_token_longer_than_the_model_allows() {
    let server = server().await;
    let items = client(&server).list_hook_results_pages(input()).collect_items().await.unwrap();
    let names: Vec<_> = items.iter().map(|i| i.type_name.as_deref().unwrap()).collect();
    assert_eq!(names, ["A::First", "B::Second"]);
    let sent: Vec<_> = server.received().iter().map(token_of).collect();
    assert_eq!(sent, [None, Some(long_token())], "page 2 asked with the token exactly as sent");

    // Page by page, too: the second page is an answer, not a Validation error.
    let server = self::server().await;
    let mut pages = client(&server).list_hook_results_pages(input());
    let first = pages.next_page().await.unwrap().unwrap();
    assert_eq!(first.next_token.as_deref().map(str::len), Some(MAX_TOKEN * 2));
    let second = pages.next_page().await.unwrap().unwrap();
    assert_eq!(second.next_token, None);
    assert!(pages.next_page().await.is_none());
}

#[tokio::test]
async fn the_callers_own_token_of_that_length_is_still_refused_before_sending() {
    let server = server().await;
    let err = client(&server).list_hook_results_pages(input().next_token(long_token())).collect_items().await;
    match err {
        Err(Error::Validation(v)) => assert!(v.to_string().contains("NextToken"), "{v}"),
        other => panic!("expected a Validation error, got {other:?}"),
    }
    assert!(server.received().is_empty(), "nothing may be sent for an invalid input");
}

#[tokio::test]
async fn hookctl_all_pages_follows_it_too() {
    let server = server().await;
    let out =
        Run::hookctl(["cloudformation", "list-hook-results", "--target-type", "CHANGE_SET", "--target-id", TARGET])
            .args(["--endpoint-url", &server.url(), "--max-attempts", "1", "--all-pages"])
            .run_async()
            .await;
    out.assert_code(0);
    assert_eq!(out.json()["HookResults"], json!([{"TypeName": "A::First"}, {"TypeName": "B::Second"}]));
    let sent: Vec<_> = server.received().iter().map(token_of).collect();
    assert_eq!(sent, [None, Some(long_token())]);
}
