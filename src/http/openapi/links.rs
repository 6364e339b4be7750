//! OpenAPI links: how the answer of one operation feeds the next call a
//! client makes, so that a tool can chain them (schemathesis's stateful
//! phase does): a created order is read with its id and its token, a
//! created product is read, edited, restocked, received, counted and
//! ordered; a receipt is read with its movements.

use serde_json::{Value, json};
use utoipa::Modify;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi, RefOr, Response};

/// An answer links start from.
#[derive(Clone, Copy)]
struct Answer {
    method: &'static str,
    path: &'static str,
    status: &'static str,
}

const ORDER_CREATED: Answer = answer("post", "/api/v1/orders", "201");
const PRODUCT_CREATED: Answer = answer("post", "/api/v1/admin/products", "201");
const PRODUCT_READ: Answer = answer("get", "/api/v1/admin/products/{id}", "200");
const PRODUCT_EDITED: Answer = answer("patch", "/api/v1/admin/products/{id}", "200");
const RESTOCKED: Answer = answer("post", "/api/v1/admin/stock/{sku}/restock", "200");
const CATALOG: Answer = answer("get", "/api/v1/products", "200");
const RECEIVED: Answer = answer("post", "/api/v1/admin/receipts", "201");

const fn answer(method: &'static str, path: &'static str, status: &'static str) -> Answer {
    Answer {
        method,
        path,
        status,
    }
}

/// One link: from an answer to another operation, with the values it
/// takes from that answer.
struct Link {
    from: Answer,
    name: &'static str,
    /// The operation called next, by its `operationId`.
    to: &'static str,
    /// `in.name` (`path.id`, `header.If-Match`) → a runtime expression.
    parameters: Vec<(&'static str, &'static str)>,
    /// Request body fields, for the operations whose body names a sku.
    body: Option<Value>,
    /// Whether `body` is the whole body (`x-schemathesis.merge_body: false`)
    /// rather than fields to merge into a generated one.
    whole_body: bool,
}

impl Answer {
    fn link(self, name: &'static str, to: &'static str) -> Link {
        Link {
            from: self,
            name,
            to,
            parameters: Vec::new(),
            body: None,
            whole_body: false,
        }
    }
}

impl Link {
    fn parameter(mut self, name: &'static str, expression: &'static str) -> Link {
        self.parameters.push((name, expression));
        self
    }

    fn body(mut self, body: Value) -> Link {
        self.body = Some(body);
        self
    }

    fn whole_body(mut self, body: Value) -> Link {
        self.body = Some(body);
        self.whole_body = true;
        self
    }

    /// The same values for a product's edit: its id, and its ETag as `If-Match`.
    fn editing(self) -> Link {
        self.parameter("path.id", "$response.body#/id")
            .parameter("header.If-Match", "$response.header.ETag")
    }
}

fn links() -> Vec<Link> {
    let order_id = "$response.body#/order/id";
    let token = "Bearer {$response.body#/access_token}";
    let created_sku = "$response.body#/variants/0/sku";
    let listed_sku = "$response.body#/products/0/variants/0/sku";
    vec![
        ORDER_CREATED
            .link("read", "get_order")
            .parameter("path.id", order_id)
            .parameter("header.Authorization", token),
        ORDER_CREATED
            .link("admin_read", "admin_get_order")
            .parameter("path.id", order_id),
        ORDER_CREATED
            .link("change_status", "change_order_status")
            .parameter("path.id", order_id),
        PRODUCT_CREATED
            .link("read", "admin_get_product")
            .parameter("path.id", "$response.body#/id"),
        PRODUCT_CREATED.link("edit", "patch_product").editing(),
        PRODUCT_CREATED
            .link("read_public", "get_product")
            .parameter("path.id_or_slug", "$response.body#/slug"),
        PRODUCT_CREATED
            .link("restock", "restock_variant")
            .parameter("path.sku", created_sku)
            .body(json!({"quantity": 5})),
        PRODUCT_CREATED
            .link("adjust", "adjust_variant")
            .parameter("path.sku", created_sku),
        PRODUCT_CREATED
            .link("order", "create_order")
            .body(order_of(created_sku)),
        PRODUCT_CREATED
            .link("check_cart", "check_cart")
            .whole_body(cart_of(created_sku)),
        PRODUCT_CREATED
            .link("receive", "receive_delivery")
            .whole_body(
                json!({"reference": "BL-1", "lines": [{"sku": created_sku, "quantity": 5}]}),
            ),
        PRODUCT_CREATED
            .link("count", "apply_adjustments")
            .whole_body(json!({"reason": "inventaire", "lines": [{"sku": created_sku, "set": 3}]})),
        RECEIVED
            .link("read", "get_receipt")
            .parameter("path.id", "$response.body#/id"),
        RECEIVED
            .link("movements", "list_movements")
            .parameter("query.receipt", "$response.body#/id"),
        PRODUCT_READ.link("edit", "patch_product").editing(),
        PRODUCT_EDITED.link("edit_again", "patch_product").editing(),
        RESTOCKED
            .link("order", "create_order")
            .whole_body(restocked_order()),
        CATALOG
            .link("restock", "restock_variant")
            .parameter("path.sku", listed_sku)
            .body(json!({"quantity": 5})),
        CATALOG
            .link("read", "get_product")
            .parameter("path.id_or_slug", "$response.body#/products/0/slug"),
        CATALOG
            .link("order", "create_order")
            .body(order_of(listed_sku)),
        CATALOG
            .link("check_cart", "check_cart")
            .whole_body(cart_of(listed_sku)),
    ]
}

/// A cart of one unit of `sku`: the whole body of a cart check.
fn cart_of(sku: &str) -> Value {
    json!({"lines": [{"sku": sku, "quantity": 1}]})
}

/// An order of one unit of `sku`: its lines, merged into the rest of a body
/// that a tool generates (a fixed customer would soon reach the shop's
/// per-customer limit). A generated body's lines past the first stay as
/// generated, so these orders succeed when the generated body has one line.
fn order_of(sku: &str) -> Value {
    cart_of(sku)
}

/// A whole order of one unit of the restocked sku, for a customer whose
/// number ends with the restock's movement id: a new customer each time,
/// so a chain of restocks and orders is not stopped by the per-customer
/// limit. A Berlin number: German numbers vary in length, so an id of 1
/// to 7 digits makes a valid one wherever the shop is (an Ivorian number
/// has exactly 10 digits).
fn restocked_order() -> Value {
    json!({
        "customer": {"name": "Awa K.", "phone": "+49 30 12{$response.body#/movement/id}"},
        "lines": [{"sku": "$response.body#/sku", "quantity": 1}],
    })
}

/// Adds every link to the answer it starts from.
pub struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut OpenApi) {
        for link in links() {
            let Answer {
                method,
                path,
                status,
            } = link.from;
            let Some(response) = response(openapi, method, path, status) else {
                continue;
            };
            let mut built = LinkBuilder::new().operation_id(link.to);
            for (name, expression) in link.parameters {
                built = built.parameter(name, expression);
            }
            if let Some(body) = link.body {
                built = built.request_body(Some(body));
            }
            if link.whole_body {
                let whole = ExtensionsBuilder::new()
                    .add("x-schemathesis", json!({"merge_body": false}))
                    .build();
                built = built.extensions(Some(whole));
            }
            response
                .links
                .insert(link.name.to_owned(), RefOr::T(built.build()));
        }
    }
}

fn response<'a>(
    openapi: &'a mut OpenApi,
    method: &str,
    path: &str,
    status: &str,
) -> Option<&'a mut Response> {
    let item = openapi.paths.paths.get_mut(path)?;
    let operation: &mut Operation = match method {
        "get" => item.get.as_mut(),
        "post" => item.post.as_mut(),
        "patch" => item.patch.as_mut(),
        "put" => item.put.as_mut(),
        _ => None,
    }?;
    match operation.responses.responses.get_mut(status)? {
        RefOr::T(response) => Some(response),
        RefOr::Ref(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use utoipa::OpenApi as _;

    use super::*;
    use crate::http::openapi::ApiDoc;

    #[test]
    fn every_link_starts_from_a_documented_answer_and_ends_at_an_operation() {
        let document = serde_json::to_value(ApiDoc::openapi()).expect("JSON");
        let mut operation_ids = HashSet::new();
        let mut targets = Vec::new();
        for item in document["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().expect("operations").values() {
                operation_ids.insert(operation["operationId"].as_str().expect("an id"));
                for response in operation["responses"]
                    .as_object()
                    .expect("responses")
                    .values()
                {
                    let links = response["links"].as_object().into_iter().flatten();
                    targets.extend(links.map(|(_, l)| l["operationId"].as_str().expect("an id")));
                }
            }
        }
        assert_eq!(targets.len(), links().len(), "a link lost its answer");
        for target in targets {
            assert!(operation_ids.contains(target), "no operation `{target}`");
        }
    }
}
