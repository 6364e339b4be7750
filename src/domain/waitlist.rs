//! "Me prévenir" as data: who waits (a phone or an e-mail), and the
//! message queued for them when their size comes back.

use serde::{Deserialize, Serialize};

use super::email::optional_email;
use super::invalid::{FieldError, ValidationError};
use super::phone::{Country, Phone};
use super::sku::Sku;

/// The longest e-mail address a signup takes.
pub const WAITLIST_EMAIL_CHARS_MAX: usize = 254;

/// How to reach the person waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    /// Normalised (E.164), so one person is one signup whatever the spelling.
    Phone(Phone),
    Email(String),
}

impl Contact {
    /// The `phone` and `email` columns.
    pub fn columns(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Contact::Phone(phone) => (Some(phone.as_str()), None),
            Contact::Email(email) => (None, Some(email.as_str())),
        }
    }
}

/// The body of `POST /api/v1/products/{id-or-slug}/waitlist`.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitlistRequest {
    pub sku: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A signup, checked: the sku and exactly one way to reach the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signup {
    pub sku: Sku,
    pub contact: Contact,
}

impl WaitlistRequest {
    pub fn check(&self, country: Country) -> Result<Signup, ValidationError> {
        let mut errors = Vec::new();
        let sku = Sku::parse("sku", &self.sku)
            .map_err(|e| errors.push(e))
            .ok();
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let email = self
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        let contact = match (phone, email) {
            (Some(_), Some(_)) => {
                errors.push(FieldError::new(
                    "phone",
                    "Donnez un téléphone ou une adresse e-mail, pas les deux.",
                    "Give a phone or an e-mail address, not both.",
                ));
                None
            }
            (None, None) => {
                errors.push(FieldError::new(
                    "phone",
                    "Donnez un téléphone ou une adresse e-mail pour être prévenu(e).",
                    "Give a phone or an e-mail address to be told.",
                ));
                None
            }
            (Some(raw), None) => match Phone::normalise(raw, country) {
                Ok(phone) => Some(Contact::Phone(phone)),
                Err(error) => {
                    errors.push(FieldError {
                        field: "phone".into(),
                        ..error
                    });
                    None
                }
            },
            (None, Some(raw)) => {
                match optional_email("email", Some(raw), WAITLIST_EMAIL_CHARS_MAX) {
                    Ok(email) => email.map(Contact::Email),
                    Err(error) => {
                        errors.push(error);
                        None
                    }
                }
            }
        };
        match (sku, contact) {
            (Some(sku), Some(contact)) if errors.is_empty() => Ok(Signup { sku, contact }),
            _ => Err(ValidationError(errors)),
        }
    }
}

/// A message queued for a person (someone waiting for a size, a buyer
/// whose preorder arrived), kept as JSON with its delivery and written out
/// in French when it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WaitlistMessage {
    /// The size `sku` is back; `token` opens the unsubscribe link.
    BackInStock { sku: String, token: String },
    /// A restock gave units to the buyer's preorder line of `sku` in the
    /// order `number`: `allocated` of its `quantity` units so far.
    PreorderArrived {
        order_id: String,
        number: String,
        sku: String,
        allocated: i64,
        quantity: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(phone: Option<&str>, email: Option<&str>) -> WaitlistRequest {
        WaitlistRequest {
            sku: "ROBE-M".into(),
            phone: phone.map(str::to_owned),
            email: email.map(str::to_owned),
        }
    }

    #[test]
    fn a_phone_in_any_spelling_is_one_contact() {
        let a = request(Some("07 00 00 00 01"), None).check(Country::default());
        let b = request(Some("+2250700000001"), None).check(Country::default());
        assert_eq!(a.expect("valid").contact, b.expect("valid").contact);
    }

    #[test]
    fn exactly_one_way_to_reach_the_person() {
        assert!(request(None, None).check(Country::default()).is_err());
        let both = request(Some("0700000001"), Some("awa@exemple.ci"));
        assert!(both.check(Country::default()).is_err());
    }

    #[test]
    fn an_email_must_be_an_address() {
        for bad in ["awa@", "@exemple.ci", "awa@exemple", "awa exemple@x.ci"] {
            let error = request(None, Some(bad))
                .check(Country::default())
                .expect_err(bad);
            assert_eq!(error.0[0].field, "email", "{bad}");
        }
        let good = request(None, Some("awa@exemple.ci")).check(Country::default());
        assert_eq!(
            good.expect("valid").contact,
            Contact::Email("awa@exemple.ci".into())
        );
    }
}
