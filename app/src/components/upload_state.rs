//! A contact upload's state as a word on a tinted background (the word carries the meaning, not
//! the colour), and which states are still moving.

use leptos::prelude::*;

/// Words for an upload state; a state this page does not know yet shows as the server names it.
pub fn upload_state_word(state: &str) -> &str {
    match state {
        "preflight" => "Checked, not sent",
        "refused" => "Refused",
        "queued" => "Queued",
        "uploaded" => "File on the drop",
        "scheduled" => "Scheduled in POM",
        "importing" => "Importing",
        "completed" => "Completed",
        "error" => "Import error",
        "failed" => "Failed",
        "cancelled" => "Cancelled",
        "expired" => "Expired",
        other => other,
    }
}

/// Sent, and POM's import not finished yet: the page keeps reading the upload.
pub fn is_following(state: &str) -> bool {
    matches!(state, "queued" | "uploaded" | "scheduled" | "importing")
}

/// Badge for one upload state.
#[component]
pub fn UploadStateBadge(state: String) -> impl IntoView {
    let word = upload_state_word(&state).to_string();
    view! { <span class=format!("upload-state {state}") data-state=state>{word}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UploadState;

    #[test]
    fn states_read_as_words_and_only_sent_unfinished_ones_are_followed() {
        assert_eq!(upload_state_word("uploaded"), "File on the drop");
        assert_eq!(upload_state_word("archived"), "archived");
        let all = UploadState::all();
        let followed: Vec<_> = all
            .iter()
            .map(|s| s.as_str())
            .filter(|s| is_following(s))
            .collect();
        assert_eq!(followed, ["queued", "uploaded", "scheduled", "importing"]);
    }
}
