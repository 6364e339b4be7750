//! The `detail` of every problem: the sentence for a person, in French (the
//! shop's language) or English, with the seed's wording where it has one.

use super::{ApiError, Forbidden};
use crate::domain::Lang;
use crate::store::Resource;

impl ApiError {
    /// The sentence for a person, in their language.
    pub fn detail(&self, lang: Lang) -> String {
        match self {
            ApiError::Validation(e) => e.message(lang),
            ApiError::NotFound { resource, key } => not_found(lang, *resource, key),
            ApiError::RouteNotFound => lang.pick("Cette adresse n'existe pas.", "There is nothing at this address.").into(),
            ApiError::Unauthorized => lang
                .pick(
                    "Authentification requise : connectez-vous (votre session a peut-être pris fin), ou envoyez un jeton d'administrateur valide (Authorization: Bearer …).",
                    "Authentication required: sign in (your session may have ended), or send a valid admin token (Authorization: Bearer …).",
                )
                .into(),
            ApiError::SignInRefused => lang
                .pick("Identifiant ou mot de passe incorrect.", "Wrong name or password.")
                .into(),
            ApiError::Forbidden(why) => forbidden(lang, *why).into(),
            ApiError::TooManyAttempts { retry_after_secs } => {
                let wait = wait_in_words(lang, *retry_after_secs);
                match lang {
                    Lang::Fr => format!("Trop de tentatives de connexion manquées. Réessayez dans {wait}."),
                    Lang::En => format!("Too many failed sign-in attempts. Please try again in {wait}."),
                }
            }
            ApiError::LastOwner => lang
                .pick(
                    "La boutique doit garder au moins un compte « propriétaire » : donnez ce rôle à quelqu'un d'autre avant de retirer celui-ci.",
                    "The shop must keep at least one owner: make someone else owner before revoking this one.",
                )
                .into(),
            ApiError::VariantHoldsStock { sku, available } => {
                crate::domain::messages::variant_holds_stock(lang, sku, *available)
            }
            ApiError::LastVariantForSale { sku } => match lang {
                Lang::Fr => format!(
                    "{sku} est la dernière variante en vente de ce produit actif : ajoutez-en une autre, ou archivez le produit, avant de la retirer."
                ),
                Lang::En => format!(
                    "{sku} is the last variant for sale of this active product: add another one, or archive the product, before retiring it."
                ),
            },
            ApiError::ProductUnavailable(lines) => crate::domain::messages::unavailable_lines(lang, lines),
            ApiError::PriceChanged(change) => crate::domain::messages::price_changed(lang, change),
            ApiError::DropNotStarted(drop) => {
                crate::domain::messages::drop_not_started(lang, &drop.name, &drop.starts_at)
            }
            ApiError::DropEnded(drop) => crate::domain::messages::drop_ended(lang, &drop.name),
            ApiError::MetricsNotLocal => lang
                .pick(
                    "Les métriques ne sont servies qu'aux programmes de la machine de la boutique ; pour les lire d'ailleurs, démarrez-la avec --metrics-token et envoyez ce jeton (Authorization: Bearer …).",
                    "Metrics are served only to programs on the shop's machine; to read them from elsewhere, start it with --metrics-token and send that token (Authorization: Bearer …).",
                )
                .into(),
            ApiError::AlreadyExists { field, value } => match lang {
                Lang::Fr => format!("Le {} « {value} » est déjà utilisé.", field_fr(field)),
                Lang::En => format!("The {field} `{value}` is already taken."),
            },
            ApiError::Refused(refusal) => refusal.message(lang),
            ApiError::StockWouldGoNegative { sku, available, delta } => match lang {
                Lang::Fr => format!("Le stock de {sku} ne peut pas passer sous zéro : {available} en stock, ajustement de {delta}."),
                Lang::En => format!("The stock of {sku} cannot go below zero: {available} available, change of {delta}."),
            },
            ApiError::StaleStock(lines) => crate::domain::messages::stale_stock(lang, lines),
            ApiError::IdempotencyKeyReused => lang
                .pick(
                    "Cette clé d'idempotence a déjà servi pour une autre commande : générez-en une nouvelle.",
                    "This idempotency key was already used with another request body: generate a new one.",
                )
                .into(),
            ApiError::InvalidTransition(t) => match lang {
                Lang::Fr => format!(
                    "Une commande {} ne peut pas passer à « {} ».",
                    t.from.label_fr(),
                    t.to.label_fr()
                ),
                Lang::En => format!("An order that is {} cannot become {}.", t.from.as_str(), t.to.as_str()),
            },
            ApiError::DropConflict(conflict) => conflict.message(lang),
            ApiError::PreconditionFailed => lang
                .pick(
                    "Ce produit a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. Rechargez-le puis refaites vos changements.",
                    "Someone else changed this product since you opened it. Reload it and make your changes again.",
                )
                .into(),
            ApiError::PreconditionRequired => lang
                .pick(
                    "L'en-tête If-Match est requis : envoyez l'ETag lu avec le produit.",
                    "The If-Match header is required: send the ETag read with the product.",
                )
                .into(),
            ApiError::PayloadTooLarge { max_bytes } => match lang {
                Lang::Fr => format!("Le corps de la requête dépasse la limite de {max_bytes} octets."),
                Lang::En => format!("The request body is larger than the limit of {max_bytes} bytes."),
            },
            ApiError::PhotoTooLarge { max_bytes } => {
                let mib = max_bytes / (1024 * 1024);
                match lang {
                    Lang::Fr => format!(
                        "La photo dépasse {mib} Mo ({max_bytes} octets) : choisissez un fichier plus léger."
                    ),
                    Lang::En => format!(
                        "The photo is larger than {mib} MB ({max_bytes} bytes): choose a lighter file."
                    ),
                }
            }
            ApiError::NotAForm => lang
                .pick(
                    "Envoyez la photo dans un formulaire multipart/form-data, dans le champ « file ».",
                    "Send the photo in a multipart/form-data form, in the field `file`.",
                )
                .to_owned(),
            ApiError::UnsupportedMediaType => lang
                .pick(
                    "Le corps doit être du JSON (Content-Type: application/json).",
                    "The body must be JSON (Content-Type: application/json).",
                )
                .into(),
            ApiError::NotCsv => lang
                .pick(
                    "Le corps doit être un fichier CSV (Content-Type: text/csv).",
                    "The body must be a CSV file (Content-Type: text/csv).",
                )
                .into(),
            ApiError::MethodNotAllowed => {
                lang.pick("Cette méthode n'est pas permise à cette adresse.", "This method is not allowed here.").into()
            }
            ApiError::MisdirectedRequest => lang
                .pick(
                    "Cette adresse n'est pas celle de la boutique : ouvrez-la par son adresse habituelle.",
                    "This is not the shop's address: open the shop at its usual address.",
                )
                .into(),
            ApiError::RateLimited { retry_after_secs: secs } => {
                let plural = if *secs > 1 { "s" } else { "" };
                match lang {
                    Lang::Fr => format!("Trop de requêtes depuis votre adresse en peu de temps. Réessayez dans {secs} seconde{plural}."),
                    Lang::En => format!("Too many requests from your address in a short time. Please retry in {secs} second{plural}."),
                }
            }
            ApiError::RequestTimeout => lang
                .pick(
                    "La requête est arrivée trop lentement : son corps n'a pas été reçu en entier à temps. Réessayez.",
                    "The request arrived too slowly: its body was not received in full in time. Please retry.",
                )
                .into(),
            ApiError::Unavailable => lang
                .pick(
                    "Le service est momentanément surchargé. Réessayez dans un instant.",
                    "The service is overloaded for a moment. Please retry shortly.",
                )
                .into(),
            ApiError::DiskFull => lang
                .pick(
                    "La boutique ne peut pas prendre de commandes ni enregistrer de changements pour le moment. Réessayez dans quelques minutes.",
                    "The shop cannot take orders or save changes right now. Please try again in a few minutes.",
                )
                .into(),
            ApiError::Internal => lang
                .pick(
                    "Une erreur interne est survenue. Réessayez ; si elle persiste, prévenez la boutique.",
                    "An internal error occurred. Please retry; if it persists, tell the shop.",
                )
                .into(),
        }
    }
}

fn forbidden(lang: Lang, why: Forbidden) -> &'static str {
    match why {
        Forbidden::OwnerOnly => lang.pick(
            "Cette action est réservée au rôle « propriétaire » de la boutique.",
            "Only the shop's owner role can do this.",
        ),
        Forbidden::CsrfToken => lang.pick(
            "Requête refusée : l'en-tête X-CSRF-Token de votre session manque ou est faux. Rechargez la page.",
            "Request refused: your session's X-CSRF-Token header is missing or wrong. Reload the page.",
        ),
        Forbidden::Origin => lang.pick(
            "Requête refusée : elle vient d'un autre site que la boutique (en-tête Origin). Si vous ouvrez la boutique par une autre adresse, démarrez-la avec --public-url.",
            "Request refused: it comes from another site than the shop (Origin header). If you open the shop at another address, start it with --public-url.",
        ),
    }
}

/// `45 secondes`, `3 minutes`, `1 heure`: a wait as a person reads it.
fn wait_in_words(lang: Lang, secs: u64) -> String {
    let (n, unit_fr, unit_en) = match secs {
        0..=119 => (secs.max(1), "seconde", "second"),
        120..=7199 => (secs.div_ceil(60), "minute", "minute"),
        _ => (secs.div_ceil(3600), "heure", "hour"),
    };
    let plural = if n > 1 { "s" } else { "" };
    match lang {
        Lang::Fr => format!("{n} {unit_fr}{plural}"),
        Lang::En => format!("{n} {unit_en}{plural}"),
    }
}

fn field_fr(field: &str) -> &str {
    match field {
        "slug" => "slug",
        "sku" => "code article (sku)",
        "name" => "nom",
        other => other,
    }
}

fn not_found(lang: Lang, resource: Resource, key: &str) -> String {
    match (lang, resource) {
        (Lang::Fr, Resource::Product) => format!("Aucun produit ne correspond à « {key} »."),
        (Lang::En, Resource::Product) => format!("There is no product `{key}`."),
        (Lang::Fr, Resource::Sku) => format!("Aucun article ne porte la référence « {key} »."),
        (Lang::En, Resource::Sku) => format!("No article has the sku `{key}`."),
        (Lang::Fr, Resource::Order) => "Commande introuvable.".into(),
        (Lang::En, Resource::Order) => "Order not found.".into(),
        (Lang::Fr, Resource::Admin) => format!("Personne ne s'appelle « {key} » dans l'équipe de la boutique."),
        (Lang::En, Resource::Admin) => format!("Nobody named `{key}` is on the shop's team."),
        (Lang::Fr, Resource::Image) => match key.rsplit_once('/') {
            Some((_, n)) => format!("Ce produit n'a pas de photo à la position {n} (la première est la position 0)."),
            None => "Photo introuvable.".into(),
        },
        (Lang::En, Resource::Image) => match key.rsplit_once('/') {
            Some((_, n)) => format!("This product has no photo at position {n} (the first is position 0)."),
            None => "Photo not found.".into(),
        },
        (Lang::Fr, Resource::SetupLink) => "Ce lien n'est pas valide : il a déjà servi, a expiré ou a été retiré. Demandez un nouveau lien à la personne qui vous l'a envoyé.".into(),
        (Lang::Fr, Resource::Receipt) => format!("Aucune réception ne porte l'identifiant « {key} »."),
        (Lang::En, Resource::Receipt) => format!("There is no receipt `{key}`."),
        (Lang::Fr, Resource::Webhook) => format!("Aucun webhook ne porte l'identifiant « {key} »."),
        (Lang::En, Resource::Webhook) => format!("There is no webhook `{key}`."),
        (Lang::Fr, Resource::Delivery) => format!("Aucun envoi ne porte l'identifiant « {key} »."),
        (Lang::En, Resource::Delivery) => format!("There is no delivery `{key}`."),
        (Lang::Fr, Resource::WaitlistLink) => "Ce lien de désinscription n'est pas valide.".into(),
        (Lang::En, Resource::WaitlistLink) => "This unsubscribe link is not valid.".into(),
        (Lang::Fr, Resource::Customer) => format!("Aucune commande n'a été passée avec le numéro « {key} »."),
        (Lang::En, Resource::Customer) => format!("No order was placed with the number `{key}`."),
        (Lang::Fr, Resource::Drop) => format!("Aucune vente flash ne porte l'identifiant ou le slug « {key} »."),
        (Lang::En, Resource::Drop) => format!("There is no drop `{key}`."),
        (Lang::En, Resource::SetupLink) => "This link is not valid: it was used, expired or withdrawn. Ask whoever sent it for a new one.".into(),
    }
}
