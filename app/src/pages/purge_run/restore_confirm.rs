//! The confirm steps before a restore. Restoring all makes every restorable contact diallable
//! again, so it is confirmed as a purge is: by typing the exact number (the server checks it
//! too). Restoring chosen contacts names how many and asks once.

use leptos::prelude::*;

use crate::components::pager::thousands;
use crate::pages::purge::confirm::typed_digits;

/// "1 contact", "2,400 contacts".
pub fn contacts(count: i64) -> String {
    if count == 1 {
        "1 contact".to_string()
    } else {
        format!("{} contacts", thousands(count))
    }
}

/// Typing the number of contacts before restoring all. `confirm` gets the typed digits.
#[component]
pub fn RestoreAllConfirm(
    count: i64,
    busy: Signal<bool>,
    confirm: Callback<String>,
    back: Callback<()>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let expected = count.to_string();
    let matches = Memo::new(move |_| typed.with(|t| typed_digits(t.trim()) == expected));
    let submit = move || {
        if matches.get_untracked() && !busy.get_untracked() {
            confirm.run(typed_digits(typed.get_untracked().trim()));
        }
    };
    view! {
        <form class="confirm panel" data-testid="restore-all-confirm" aria-labelledby="restore-all-title"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3 id="restore-all-title">{format!("Restore all {}?", contacts(count))}</h3>
            <p>
                {format!("All {} go back into the list and can be dialled again. ", contacts(count))}
                {format!("To go ahead, type {count}, the number of contacts to restore.")}
            </p>
            <div class="field">
                <label for="restore-count">"Contacts to restore"</label>
                <input id="restore-count" name="restore-count" type="text" inputmode="numeric" autocomplete="off"
                    data-testid="restore-count" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
            </div>
            <div class="actions">
                <button type="submit" class="primary" data-testid="restore-all-go"
                    disabled=move || !matches.get() || busy.get()>
                    {format!("Restore {}", contacts(count))}
                </button>
                <button type="button" data-testid="restore-back" on:click=move |_| back.run(())>"Back"</button>
            </div>
        </form>
    }
}

/// One question before restoring the chosen contacts.
#[component]
pub fn RestoreSelectedConfirm(
    count: i64,
    busy: Signal<bool>,
    confirm: Callback<()>,
    back: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="confirm panel" data-testid="restore-selected-confirm" role="group" aria-labelledby="restore-selected-title">
            <h3 id="restore-selected-title">{format!("Restore the {} you selected?", contacts(count))}</h3>
            <p>"They go back into the list and can be dialled again."</p>
            <div class="actions">
                <button type="button" class="primary" data-testid="restore-selected-go"
                    disabled=move || busy.get() on:click=move |_| confirm.run(())>
                    {format!("Restore {}", contacts(count))}
                </button>
                <button type="button" data-testid="restore-back" on:click=move |_| back.run(())>"Back"</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::contacts;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(contacts(1), "1 contact");
        assert_eq!(contacts(12_693), "12,693 contacts");
    }
}
