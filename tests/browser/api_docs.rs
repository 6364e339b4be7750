//! Swagger UI (`/api/docs/`) under its content security policy: it draws
//! every operation, and the browser reports no script error and no
//! violation of the policy.

use crate::chrome::{Chrome, browser_tools};
use crate::shop::spawn_shop;

#[tokio::test]
async fn swagger_ui_draws_the_api_under_its_policy_without_a_violation() {
    let Some(tools) = browser_tools("swagger_ui_draws_the_api") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let reader = chrome.session(&shop, 1280, 900).await;
    reader
        .page
        .goto(format!("{}/api/docs/", shop.address))
        .await
        .expect("the page opens");
    reader
        .wait_for(
            "document.querySelectorAll('.opblock').length >= 20",
            "the operations drawn",
        )
        .await;
    // Open one operation: its schemas and examples draw with inline styles.
    reader.click(".opblock-summary").await;
    reader
        .wait_for(
            "!!document.querySelector('.opblock.is-open .opblock-body')",
            "an operation opened",
        )
        .await;
    reader.screenshot("api-docs").await;
    reader.assert_no_console_errors();
    chrome.close().await;
}
