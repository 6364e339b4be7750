//! Which events a channel sends, as the owner names them.

use crate::domain::events::EventType;
use crate::domain::invalid::{Checker, FieldError};

/// The event types of `raw` (`order.created`…), each checked: an unknown
/// type or one named twice is refused naming its place
/// (`email.events[2]`). Absent means none: the channel is kept but sends
/// nothing until the owner picks events (its test message still goes).
pub fn event_types(field: &str, raw: Option<&[String]>, checker: &mut Checker) -> Vec<EventType> {
    let raw = raw.unwrap_or_default();
    let most = EventType::ALL.len();
    if raw.len() > most {
        checker.push(FieldError::new(
            field,
            format!("Un canal envoie au plus les {most} types d'événement, chacun nommé une fois."),
            format!("A channel sends at most the {most} event types, each named once."),
        ));
        return Vec::new();
    }
    let mut kinds: Vec<EventType> = Vec::new();
    for (i, name) in raw.iter().enumerate() {
        let name = clipped(name.trim());
        match EventType::parse(name) {
            Some(kind) if kinds.contains(&kind) => checker.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("Le type d'événement « {name} » apparaît deux fois."),
                format!("The event type `{name}` appears twice."),
            )),
            Some(kind) => kinds.push(kind),
            None => checker.push(unknown(&format!("{field}[{i}]"), name)),
        }
    }
    kinds.sort();
    kinds
}

/// A name as an error repeats it: a page of garbage is not read back whole.
fn clipped(name: &str) -> &str {
    const SHOWN_CHARS_MAX: usize = 64;
    name.char_indices()
        .nth(SHOWN_CHARS_MAX)
        .map_or(name, |(end, _)| &name[..end])
}

fn unknown(field: &str, name: &str) -> FieldError {
    let known = EventType::ALL
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    FieldError::new(
        field,
        format!("Le type d'événement « {name} » n'existe pas. Types possibles : {known}."),
        format!("The event type `{name}` does not exist. Known types: {known}."),
    )
}
