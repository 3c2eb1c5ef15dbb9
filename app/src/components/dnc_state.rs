//! A DNC upload's or registered address's state as a word on a tinted background (the word carries
//! the meaning, not the colour).

use leptos::prelude::*;

/// Words for upload states (`preflight`, `refused`, `sent`) and address states (`pending`,
/// `confirmed`, `failed`); a state this page does not know yet shows as the server names it.
pub fn state_word(state: &str) -> &str {
    match state {
        "preflight" => "Checked, not sent",
        "refused" => "Refused",
        "sent" => "Sent",
        "pending" => "Pending",
        "confirmed" => "Confirmed",
        "failed" => "Failed",
        other => other,
    }
}

/// Badge for one upload or address state.
#[component]
pub fn DncStateBadge(state: String) -> impl IntoView {
    let word = state_word(&state).to_string();
    view! { <span class=format!("dnc-state {state}") data-state=state>{word}</span> }
}

#[cfg(test)]
mod tests {
    use super::state_word;

    #[test]
    fn known_states_read_as_words_and_new_ones_pass_through() {
        assert_eq!(state_word("preflight"), "Checked, not sent");
        assert_eq!(state_word("confirmed"), "Confirmed");
        assert_eq!(state_word("archived"), "archived");
    }
}
