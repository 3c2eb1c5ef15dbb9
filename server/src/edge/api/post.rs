//! The one shape of a state-changing call: the scope checked first (403 before the body is
//! looked at; the body is only received, within the API's size limit), the JSON body decoded and
//! checked (naming the field at fault, before any key is taken), then the action run once per
//! `Idempotency-Key` and to its end (`once.rs`). Handlers say only what they do.

use std::future::Future;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use types::model::ApiScope;

use super::bearer::ApiCaller;
use super::body::{json_body, optional_json_body};
use super::once::{once_redacted, Answer};
use super::problem::Problem;

/// A state-changing request as `Idempotency-Key` needs it: method, path, headers and the raw
/// body (bounded by the API's body limit before this reads it).
pub struct ApiPost {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for ApiPost {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let method = request.method().clone();
        let uri = request.uri().clone();
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            method,
            uri,
            headers,
            body,
        })
    }
}

/// How a call's body is read (and checked: a refusal here takes no `Idempotency-Key`).
pub type Reader<T> = fn(&HeaderMap, &[u8]) -> Result<T, Problem>;

/// A body that is not read (a call with nothing to say beyond its path).
fn no_body(_: &HeaderMap, _: &[u8]) -> Result<(), Problem> {
    Ok(())
}

/// Keeps a successful answer as it is under the key.
fn keep_all(_: &mut Value) {}

impl ApiPost {
    /// Checks `scope`, reads the body as `T` (required), then runs `act` once.
    pub async fn json<T, F, Fut>(
        self,
        caller: ApiCaller,
        check: (ApiScope, &str),
        act: F,
    ) -> Response
    where
        T: DeserializeOwned + Send + 'static,
        F: FnOnce(ApiCaller, T) -> Fut + Send + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        self.run(caller, check, (json_body::<T>, keep_all), act)
            .await
    }

    /// [`ApiPost::json`] for a call whose fields are all optional: no body means the defaults.
    pub async fn optional_json<T, F, Fut>(
        self,
        caller: ApiCaller,
        check: (ApiScope, &str),
        act: F,
    ) -> Response
    where
        T: DeserializeOwned + Default + Send + 'static,
        F: FnOnce(ApiCaller, T) -> Fut + Send + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        self.run(caller, check, (optional_json_body::<T>, keep_all), act)
            .await
    }

    /// [`ApiPost::json`] whose kept copy has `redact` applied: a replay answers that copy (a
    /// one-time link is not given twice).
    pub async fn json_redacted<T, F, Fut>(
        self,
        caller: ApiCaller,
        check: (ApiScope, &str),
        act: F,
        redact: fn(&mut Value),
    ) -> Response
    where
        T: DeserializeOwned + Send + 'static,
        F: FnOnce(ApiCaller, T) -> Fut + Send + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        self.run(caller, check, (json_body::<T>, redact), act).await
    }

    /// [`ApiPost::json`] with the body read by `read`, which also checks what the types cannot
    /// (a date, a choice) before any key is taken.
    pub async fn read_with<T, F, Fut>(
        self,
        caller: ApiCaller,
        check: (ApiScope, &str),
        read: Reader<T>,
        act: F,
    ) -> Response
    where
        T: Send + 'static,
        F: FnOnce(ApiCaller, T) -> Fut + Send + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        self.run(caller, check, (read, keep_all), act).await
    }

    /// Checks `scope` and runs `act` once; a body, if any is sent, is ignored (also by the
    /// key's fingerprint: a retry is the same call whatever it sends).
    pub async fn bodiless<F, Fut>(
        mut self,
        caller: ApiCaller,
        check: (ApiScope, &str),
        act: F,
    ) -> Response
    where
        F: FnOnce(ApiCaller) -> Fut + Send + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        self.body = Bytes::new();
        self.run(caller, check, (no_body, keep_all), |caller, ()| act(caller))
            .await
    }

    async fn run<T, F, Fut>(
        self,
        caller: ApiCaller,
        (scope, route): (ApiScope, &str),
        (read, redact): (Reader<T>, fn(&mut Value)),
        act: F,
    ) -> Response
    where
        T: Send + 'static,
        F: FnOnce(ApiCaller, T) -> Fut + Send + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        if let Err(problem) = caller.require(scope, route).await {
            return problem.into_response();
        }
        let request = match read(&self.headers, &self.body) {
            Ok(request) => request,
            Err(problem) => return problem.into_response(),
        };
        let acting = caller.clone();
        let call = (&self.method, &self.uri, &self.headers);
        once_redacted(
            &caller,
            call,
            &self.body,
            move || act(acting, request),
            redact,
        )
        .await
    }
}

/// A successful answer: `status` with `view` as its JSON body.
pub fn answer(status: StatusCode, view: impl Serialize) -> Answer {
    Ok((status, serde_json::to_value(view).unwrap_or_default()))
}
