//! Start, pause, resume and stop: the confirmation dialog naming the campaign and the job, the
//! server call, and POM's answer in a polite status region (or an alert when it failed).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::{ActionOutcome, JobAction};
use crate::server_fns::campaigns::{campaign_job_action, start_campaign};

/// What a button asks for: a new job of the campaign, or an action on its current job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    Start,
    Job(i64, JobAction),
}

/// An action waiting for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub campaign: String,
    pub ask: Ask,
}

impl Request {
    /// The dialog's title: "Pause job 1234 of Sales_Predictive?".
    pub fn question(&self) -> String {
        match &self.ask {
            Ask::Start => format!("Start {}?", self.campaign),
            Ask::Job(job_id, action) => {
                format!("{} job {job_id} of {}?", action.label(), self.campaign)
            }
        }
    }

    /// What will happen, in a sentence.
    pub fn explanation(&self) -> &'static str {
        match self.ask {
            Ask::Start => {
                "POM queues a new job for the campaign and starts dialling its contact lists."
            }
            Ask::Job(_, JobAction::Pause) => {
                "Dialling stops until the job is resumed. Calls in progress are finished."
            }
            Ask::Job(_, JobAction::Resume) => "Dialling continues where the job left off.",
            Ask::Job(_, JobAction::Stop) => {
                "Dialling ends and this job cannot be resumed; starting the campaign again creates a new job."
            }
        }
    }

    /// The confirm button's words.
    pub fn confirm_label(&self) -> &'static str {
        match self.ask {
            Ask::Start => "Start campaign",
            Ask::Job(_, JobAction::Pause) => "Pause job",
            Ask::Job(_, JobAction::Resume) => "Resume job",
            Ask::Job(_, JobAction::Stop) => "Stop job",
        }
    }

    /// Stopping cannot be undone, so its button looks like it.
    fn irreversible(&self) -> bool {
        matches!(self.ask, Ask::Job(_, JobAction::Stop))
    }

    async fn send(self, organization: String) -> Result<ActionOutcome, AppError> {
        match self.ask {
            Ask::Start => start_campaign(organization, self.campaign).await,
            Ask::Job(job_id, action) => {
                campaign_job_action(organization, self.campaign, job_id, action).await
            }
        }
    }
}

/// The last answer: POM's message, or what went wrong.
pub type Answer = RwSignal<Option<Result<String, AppError>>>;

/// The polite status region with the last answer, and the alert region for failures. Both are
/// always in the page so screen readers hear what is put into them.
#[component]
pub fn ActionStatus(answer: Answer) -> impl IntoView {
    view! {
        <div class="action-status" role="status" aria-live="polite" data-testid="campaign-message">
            {move || answer.with(|a| match a {
                Some(Ok(message)) => Some(view! { <p class="notice info">{message.clone()}</p> }),
                _ => None,
            })}
        </div>
        <div class="action-status" role="alert" data-testid="campaign-error">
            {move || answer.with(|a| match a {
                Some(Err(error)) => Some(view! { <p class="notice error">{error_text(error)}</p> }),
                _ => None,
            })}
        </div>
    }
}

/// The modal confirmation for `pending`; confirming sends it for `organization`. `busy` while a
/// request is out; `on_answer` runs after every answer.
#[component]
pub fn ConfirmDialog(
    organization: String,
    pending: RwSignal<Option<Request>>,
    busy: RwSignal<bool>,
    answer: Answer,
    on_answer: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // Focus starts on Cancel: Enter by habit must not stop a job.
    let cancel = NodeRef::<leptos::html::Button>::new();
    // Opening as a modal keeps the rest of the page out of reach; Escape closes it.
    Effect::new(move |_| {
        if pending.with(Option::is_none) {
            return;
        }
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
        if let Some(button) = cancel.get() {
            let _ = button.focus();
        }
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let organization = StoredValue::new(organization);
    let run = move |_| {
        let Some(request) = pending.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        answer.set(None);
        close();
        spawn_local(async move {
            let result = request.send(organization.get_value()).await;
            answer.set(Some(result.map(|outcome| outcome.message)));
            busy.set(false);
            on_answer.run(());
        });
    };
    let text = move |f: fn(&Request) -> String| pending.with(|p| p.as_ref().map(f));
    view! {
        <dialog node_ref=dialog class="confirm-dialog" aria-labelledby="campaign-confirm-title"
            aria-describedby="campaign-confirm-text" data-testid="confirm-dialog"
            on:close=move |_| pending.set(None)>
            <h2 id="campaign-confirm-title">{move || text(Request::question)}</h2>
            <p id="campaign-confirm-text">{move || text(|r| r.explanation().to_string())}</p>
            <div class="actions">
                <button type="button" data-testid="confirm-action"
                    class=move || if pending.with(|p| p.as_ref().is_some_and(Request::irreversible)) { "danger" } else { "primary" }
                    disabled=move || busy.get() on:click=run>
                    {move || text(|r| r.confirm_label().to_string())}
                </button>
                <button type="button" node_ref=cancel data-testid="confirm-cancel" on:click=move |_| close()>"Cancel"</button>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_name_the_job_and_the_campaign() {
        let pause = Request {
            campaign: "Sales_Spring_Promo_Predictive".into(),
            ask: Ask::Job(1234, JobAction::Pause),
        };
        assert_eq!(
            pause.question(),
            "Pause job 1234 of Sales_Spring_Promo_Predictive?"
        );
        assert!(!pause.irreversible());
        let start = Request {
            campaign: "Sales_Predictive".into(),
            ask: Ask::Start,
        };
        assert_eq!(start.question(), "Start Sales_Predictive?");
        assert_eq!(start.confirm_label(), "Start campaign");
        let stop = Request {
            campaign: "Sales_Predictive".into(),
            ask: Ask::Job(9, JobAction::Stop),
        };
        assert!(stop.irreversible());
    }
}
