//! The checkout and cart-check bodies: any bytes that parse as an order
//! request either validate into an order within every limit, or are refused
//! with at least one named field; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::Limits;
use stockroom::domain::order::{CartInput, OrderInput};
use stockroom::domain::phone::Phone;
use stockroom::domain::sku::Sku;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(input) = serde_json::from_slice::<OrderInput>(data) {
        match input.validate(&limits) {
            Ok(order) => {
                let lines = &order.lines;
                assert!((1..=limits.order_lines_max).contains(&lines.len()));
                for line in lines {
                    assert!((1..=limits.line_quantity_max).contains(&line.quantity));
                    assert_eq!(Sku::parse("sku", line.sku.as_str()).as_ref(), Ok(&line.sku));
                }
                // Merged and sorted: every sku once, in order.
                assert!(lines.windows(2).all(|w| w[0].sku < w[1].sku));
                let name = &order.customer.name;
                assert!(!name.trim().is_empty());
                assert!(name.chars().count() <= limits.customer_name_chars_max);
                assert!(Phone::check_shape(&order.customer.phone).is_ok());
                assert!(order.customer.phone.chars().count() <= limits.phone_chars_max);
                if let Some(notes) = &order.notes {
                    assert!(notes.chars().count() <= limits.notes_chars_max);
                }
                // Checking is a function of the input.
                assert_eq!(input.validate(&limits), Ok(order));
            }
            Err(invalid) => assert!(!invalid.0.is_empty()),
        }
    }
    if let Ok(cart) = serde_json::from_slice::<CartInput>(data)
        && let Ok(lines) = cart.validate(&limits)
    {
        assert!((1..=limits.order_lines_max).contains(&lines.len()));
        assert!(
            lines
                .iter()
                .all(|l| (1..=limits.line_quantity_max).contains(&l.quantity))
        );
    }
});
