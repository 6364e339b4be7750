use serde_json::{Value, json};

use super::*;

fn body(value: Value) -> NotificationsBody {
    serde_json::from_value(value).expect("a body of the right shape")
}

fn put(
    current: &NotificationSettings,
    value: Value,
) -> Result<NotificationSettings, ValidationError> {
    body(value).apply_to(current, Country::DEFAULT)
}

fn fields(error: &ValidationError) -> Vec<&str> {
    error.0.iter().map(|e| e.field.as_str()).collect()
}

fn email() -> Value {
    json!({
        "host": "smtp.example.ci", "port": 587, "tls": "starttls",
        "user": "boutique", "password": "mot de passe",
        "from": "Chez Awa <boutique@example.ci>",
        "to": ["awa@example.ci", "staff@example.ci"],
        "events": ["order.created", "stock.low"]
    })
}

fn sms() -> Value {
    json!({
        "url": "https://sms.example.ci/send?apikey=s3cr3t&sender=AWA",
        "method": "POST",
        "headers": {"Authorization": "Bearer t0k3n"},
        "body": r#"{"to": "{to}", "text": "{message}"}"#,
        "to": ["07 00 00 00 00"],
        "events": ["order.created"]
    })
}

fn saved() -> NotificationSettings {
    put(
        &NotificationSettings::default(),
        json!({"email": email(), "sms": sms()}),
    )
    .expect("saved")
}

#[test]
fn a_full_body_is_saved_and_answered_with_every_secret_masked() {
    let settings = saved();
    let email = settings.email.as_ref().expect("e-mail");
    assert_eq!(
        email.login().map(|l| l.password.expose()),
        Some("mot de passe")
    );
    assert_eq!(
        email.events(),
        [EventType::OrderCreated, EventType::StockLow]
    );
    let sms = settings.sms.as_ref().expect("sms");
    assert_eq!(sms.to()[0].as_str(), "+2250700000000");
    let answer = serde_json::to_value(settings.answer()).expect("json");
    assert_eq!(answer["email"]["password"], SECRET_MASK);
    assert_eq!(answer["email"]["user"], "boutique");
    assert_eq!(answer["sms"]["headers"]["Authorization"], SECRET_MASK);
    assert_eq!(
        answer["sms"]["url"],
        "https://sms.example.ci/send?apikey=********&sender=********"
    );
    assert_eq!(answer["sms"]["to"][0], "+2250700000000");
    let text = answer.to_string();
    for secret in ["mot de passe", "t0k3n", "s3cr3t"] {
        assert!(!text.contains(secret), "{secret} in {text}");
        assert!(
            !format!("{settings:?}").contains(secret),
            "{secret} in Debug"
        );
    }
}

#[test]
fn the_stored_form_keeps_the_secrets_and_reads_back_as_the_same_settings() {
    let settings = saved();
    let stored = settings.to_stored_json();
    assert!(
        stored.contains("mot de passe") && stored.contains("t0k3n") && stored.contains("s3cr3t")
    );
    let back =
        NotificationSettings::from_stored_json(&stored, Country::DEFAULT).expect("read back");
    assert_eq!(back, settings);
    let empty = NotificationSettings::default().to_stored_json();
    assert_eq!(empty, r#"{"email":null,"sms":null}"#);
    assert_eq!(
        NotificationSettings::from_stored_json(&empty, Country::DEFAULT).expect("empty"),
        NotificationSettings::default()
    );
}

#[test]
fn sending_the_answer_back_keeps_every_stored_secret() {
    let settings = saved();
    let answer = serde_json::to_value(settings.answer()).expect("json");
    let again = put(&settings, answer).expect("saved again");
    assert_eq!(again, settings);
}

#[test]
fn a_masked_password_for_another_server_or_mode_must_be_typed_again() {
    let settings = saved();
    for (key, value) in [("host", json!("evil.example")), ("tls", json!("none"))] {
        let mut changed = email();
        changed["password"] = json!(SECRET_MASK);
        changed[key] = value;
        let refused = put(&settings, json!({"email": changed})).expect_err("refused");
        assert_eq!(fields(&refused), ["email.password"]);
        assert!(
            refused.0[0]
                .fr
                .contains("saisissez à nouveau le mot de passe")
        );
    }
    let mut first = email();
    first["password"] = json!(SECRET_MASK);
    let refused =
        put(&NotificationSettings::default(), json!({"email": first})).expect_err("nothing kept");
    assert_eq!(
        refused.0[0].fr,
        "Aucun mot de passe n'est enregistré : saisissez-le."
    );
}

#[test]
fn a_masked_gateway_secret_for_another_origin_must_be_typed_again() {
    let settings = saved();
    let mut moved = serde_json::to_value(settings.answer()).expect("json")["sms"].clone();
    moved["url"] = json!("https://evil.example/send?apikey=********&sender=********");
    let refused = put(&settings, json!({"sms": moved})).expect_err("refused");
    assert_eq!(fields(&refused), ["sms.url", "sms.headers.Authorization"]);
    let mut header_only = sms();
    header_only["headers"]["X-Key"] = json!(SECRET_MASK);
    let refused = put(&settings, json!({"sms": header_only})).expect_err("no such header stored");
    assert_eq!(fields(&refused), ["sms.headers.X-Key"]);
}

#[test]
fn an_absent_channel_stays_and_a_null_one_is_removed() {
    let settings = saved();
    let kept = put(&settings, json!({})).expect("nothing changed");
    assert_eq!(kept, settings);
    let removed = put(&settings, json!({"email": null})).expect("removed");
    assert_eq!(removed.email, None);
    assert_eq!(removed.sms, settings.sms);
}

#[test]
fn an_unknown_or_repeated_event_type_is_refused_naming_it() {
    let mut e = email();
    e["events"] = json!(["order.created", "order.shipped", "order.created"]);
    let refused = put(&NotificationSettings::default(), json!({"email": e})).expect_err("refused");
    assert_eq!(fields(&refused), ["email.events[1]", "email.events[2]"]);
    assert!(refused.0[0].fr.starts_with(
        "Le type d'événement « order.shipped » n'existe pas. Types possibles : order.created, "
    ));
    assert!(refused.0[0].en.contains("`order.shipped`"));
    assert_eq!(
        refused.0[1].fr,
        "Le type d'événement « order.created » apparaît deux fois."
    );
}

#[test]
fn each_bad_email_field_is_refused_by_name() {
    let refused = put(
        &NotificationSettings::default(),
        json!({"email": {
            "host": "smtp://smtp.example.ci", "port": 70000, "tls": "ssl",
            "user": "boutique", "from": "Chez Awa",
            "to": ["awa@example.ci", "pas une adresse", "AWA@example.ci"]
        }}),
    )
    .expect_err("refused");
    assert_eq!(
        fields(&refused),
        [
            "email.host",
            "email.tls",
            "email.port",
            "email.from",
            "email.to[1]",
            "email.to[2]",
            "email.password"
        ]
    );
    let by_field = |f: &str| refused.0.iter().find(|e| e.field == f).expect(f).fr.clone();
    assert!(by_field("email.host").contains("sans « smtp:// » ni port"));
    assert_eq!(
        by_field("email.tls"),
        "Le mode « ssl » n'existe pas : choisissez starttls, tls ou none."
    );
    assert!(
        by_field("email.to[1]")
            .starts_with("L'adresse e-mail « pas une adresse » n'est pas valide")
    );
}

#[test]
fn the_port_follows_the_tls_mode_when_absent_and_is_checked_when_given() {
    let default = |tls: &str| {
        let mut e = email();
        e["tls"] = json!(tls);
        e.as_object_mut().expect("object").remove("port");
        e.as_object_mut().expect("object").remove("password");
        e.as_object_mut().expect("object").remove("user");
        put(&NotificationSettings::default(), json!({"email": e}))
            .expect("saved")
            .email
            .expect("e-mail")
    };
    assert_eq!(default("starttls").port(), 587);
    assert_eq!(default("TLS").port(), 465);
    assert_eq!(default("none").port(), 25);
    assert_eq!(default("none").tls(), SmtpTls::None);
    let mut zero = email();
    zero["port"] = json!(0);
    let refused =
        put(&NotificationSettings::default(), json!({"email": zero})).expect_err("port 0");
    assert_eq!(
        refused.0[0].fr,
        "Le champ « email.port » doit être un entier entre 1 et 65535."
    );
}

#[test]
fn a_password_needs_a_user_and_a_user_a_password() {
    let mut alone = email();
    alone.as_object_mut().expect("object").remove("user");
    let refused =
        put(&NotificationSettings::default(), json!({"email": alone})).expect_err("no user");
    assert_eq!(fields(&refused), ["email.user"]);
    let mut none = email();
    none["user"] = Value::Null;
    none["password"] = Value::Null;
    let relay = put(&NotificationSettings::default(), json!({"email": none})).expect("a relay");
    assert_eq!(relay.email.expect("e-mail").login(), None);
}

#[test]
fn recipients_are_one_to_ten() {
    for to in [
        json!([]),
        json!(
            (0..11)
                .map(|i| format!("a{i}@example.ci"))
                .collect::<Vec<_>>()
        ),
    ] {
        let mut e = email();
        e["to"] = to;
        let refused =
            put(&NotificationSettings::default(), json!({"email": e})).expect_err("refused");
        assert_eq!(
            refused.0[0].fr,
            "Indiquez de 1 à 10 adresses e-mail de destinataires."
        );
    }
}

#[test]
fn phones_are_read_for_the_shop_country_and_refused_naming_their_place() {
    let mut s = sms();
    s["to"] = json!(["+225 07 00 00 00 01", "12", "07 00 00 00 01"]);
    let refused = put(&NotificationSettings::default(), json!({"sms": s})).expect_err("refused");
    assert_eq!(fields(&refused), ["sms.to[1]", "sms.to[2]"]);
    assert!(
        refused.0[0]
            .fr
            .starts_with("Le numéro de téléphone « 12 » n'est pas valide")
    );
    assert_eq!(
        refused.0[1].fr,
        "Le numéro +2250700000001 apparaît deux fois."
    );
}

fn sms_refusal(changes: Value) -> ValidationError {
    let mut s = sms();
    for (key, value) in changes.as_object().expect("changes") {
        s[key] = value.clone();
    }
    put(&NotificationSettings::default(), json!({"sms": s})).expect_err("refused")
}

#[test]
fn a_gateway_url_must_be_http_with_a_host_and_no_credentials() {
    for (url, words) in [
        ("ftp://sms.example.ci/send", "https:// ou http://"),
        (
            "https://user:pw@sms.example.ci/send",
            "pas contenir d'identifiants",
        ),
        ("sms.example.ci/send", "n'est pas une adresse web"),
        ("https://sms.example.ci/send#x", "« # »"),
        (
            "https://sms.example.ci/send?to={phone}",
            "nomme {phone}, qui n'existe pas",
        ),
    ] {
        let refused = sms_refusal(json!({"url": url}));
        assert_eq!(fields(&refused), ["sms.url"], "{url}");
        assert!(
            refused.0[0].fr.contains(words),
            "{url}: {}",
            refused.0[0].fr
        );
    }
}

#[test]
fn the_templates_must_name_both_placeholders_where_they_can_be_filled() {
    let refused = sms_refusal(json!({"body": r#"{"to": "{to}"}"#}));
    assert_eq!(
        refused.0[0].fr,
        "Le modèle doit contenir {message}, dans l'adresse ou dans le corps."
    );
    let refused = sms_refusal(json!({"method": "GET"}));
    assert!(
        refused.0[0]
            .fr
            .starts_with("Une requête GET n'envoie pas de corps")
    );
    let refused = sms_refusal(json!({"body": r#"{"to": {to}, "text": "{message}"}"#}));
    assert!(
        refused.0[0]
            .fr
            .starts_with("Le corps n'est pas du JSON valide")
    );
    let refused = sms_refusal(json!({"method": "PUT"}));
    assert_eq!(
        refused.0[0].fr,
        "La méthode « PUT » n'est pas prise en charge : choisissez GET ou POST."
    );
}

#[test]
fn headers_are_names_and_one_line_values_within_their_limits() {
    let refused = sms_refusal(json!({"headers": {
        "Bad Name": "x", "Content-Length": "3", "X-Key": "a\r\nInjected: 1", "X-Empty": " "
    }}));
    assert_eq!(
        fields(&refused),
        [
            "sms.headers.Bad Name",
            "sms.headers.Content-Length",
            "sms.headers.X-Empty",
            "sms.headers.X-Key"
        ]
    );
    let many: serde_json::Map<String, Value> = (0..=SMS_HEADERS_MAX)
        .map(|i| (format!("X-{i}"), json!("v")))
        .collect();
    let refused = sms_refusal(json!({"headers": many}));
    assert_eq!(refused.0[0].fr, "La passerelle reçoit au plus 16 en-têtes.");
}

#[test]
fn a_json_gateway_gets_escaped_values_and_its_content_type() {
    let channel = saved().sms.expect("sms");
    let request = channel.request("+2250700000000", "Robe \"été\"\nM");
    assert_eq!(request.method, SmsMethod::Post);
    assert_eq!(
        request.url,
        "https://sms.example.ci/send?apikey=s3cr3t&sender=AWA"
    );
    let body: Value = serde_json::from_str(request.body.as_deref().expect("a body")).expect("JSON");
    assert_eq!(
        body,
        json!({"to": "+2250700000000", "text": "Robe \"été\"\nM"})
    );
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.expose()))
        .collect();
    assert_eq!(
        headers,
        [
            ("Authorization", "Bearer t0k3n"),
            ("Content-Type", "application/json")
        ]
    );
    assert!(!format!("{request:?}").contains("t0k3n"));
    assert!(!format!("{request:?}").contains("s3cr3t"));
}

#[test]
fn a_get_gateway_gets_its_values_percent_encoded_in_the_url() {
    let settings = SmsSettings {
        url: Some("http://192.168.1.20:8080/send?to={to}&msg={message}".into()),
        method: Some("get".into()),
        to: Some(vec!["0700000000".into()]),
        ..SmsSettings::default()
    };
    let channel = SmsChannel::check(&settings, Country::DEFAULT).expect("checked");
    let request = channel.request("+2250700000000", "2 articles, 21 500 FCFA & plus");
    assert_eq!(request.method, SmsMethod::Get);
    assert_eq!(request.body, None);
    assert_eq!(
        request.url,
        "http://192.168.1.20:8080/send?to=%2B2250700000000&msg=2%20articles%2C%2021%20500%20FCFA%20%26%20plus"
    );
}

#[test]
fn a_form_body_by_its_shape_or_its_header_is_form_encoded() {
    let mut s = sms();
    s["body"] = json!("to={to}&text={message}");
    s["headers"] = json!({});
    let channel = put(&NotificationSettings::default(), json!({"sms": s}))
        .expect("saved")
        .sms
        .expect("sms");
    assert_eq!(channel.body_kind(), SmsBodyKind::Form);
    let request = channel.request("+225", "a b");
    assert_eq!(request.body.as_deref(), Some("to=%2B225&text=a+b"));
    assert_eq!(
        request.headers[0].1.expose(),
        "application/x-www-form-urlencoded"
    );
}

#[test]
fn a_channel_sends_only_the_events_it_names() {
    let settings = saved();
    assert!(settings.email_for(EventType::StockLow).is_some());
    assert!(settings.sms_for(EventType::StockLow).is_none());
    assert!(settings.sms_for(EventType::OrderCreated).is_some());
    assert!(settings.email_for(EventType::AuditAnomaly).is_none());
}
