-- Campaign control: every action OCM takes on a POM campaign job (written as `pending` before POM
-- is called, so a crash mid-call leaves a visible trace), the job states OCM has observed (for
-- "state since" and today's figures), one-off scheduled starts, and emergency stops.

CREATE TABLE emergency_stop (
    emergency_stop_id bigserial PRIMARY KEY,
    -- NULL: every organization.
    organization      text,
    requested_by      bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    requested_by_name text NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    jobs_found        integer NOT NULL DEFAULT 0,
    jobs_stopped      integer NOT NULL DEFAULT 0
);
CREATE INDEX emergency_stop_recent ON emergency_stop (started_at DESC);

CREATE TABLE campaign_action (
    campaign_action_id bigserial PRIMARY KEY,
    organization       text NOT NULL,
    campaign           text NOT NULL,
    job_id             bigint,
    action             text NOT NULL CHECK (action IN ('start', 'pause', 'resume', 'stop', 'schedule')),
    -- For a stop: the job's state when OCM asked (an emergency stop lists it per job).
    state_before       text,
    outcome            text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'ok', 'refused', 'failed')),
    -- What POM answered, in its own words (isQueued and job id, a fault code and message, …).
    pom_answer         text,
    -- The plain message the user saw.
    message            text,
    emergency_stop_id  bigint REFERENCES emergency_stop (emergency_stop_id),
    requested_by       bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    requested_by_name  text NOT NULL,
    requested_at       timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz
);
CREATE INDEX campaign_action_recent ON campaign_action (organization, requested_at DESC);
CREATE INDEX campaign_action_campaign ON campaign_action (organization, campaign, requested_at DESC);

CREATE TABLE campaign_job (
    -- POM's job id.
    job_id        bigint PRIMARY KEY,
    organization  text NOT NULL,
    campaign      text NOT NULL,
    state         text NOT NULL,
    -- The state OCM first saw: a job first seen already ended did not start or end "today".
    first_state   text NOT NULL,
    state_since   timestamptz NOT NULL DEFAULT now(),
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_job_state ON campaign_job (organization, state);

CREATE TABLE campaign_schedule (
    campaign_schedule_id bigserial PRIMARY KEY,
    organization         text NOT NULL,
    campaign             text NOT NULL,
    -- Exactly what POM was sent: `yyyy/MM/dd HH:mm:ss` wall time in `time_zone`.
    start_local          text NOT NULL,
    time_zone            text NOT NULL,
    -- The same instant by the zone's standard offset (for ordering and "due" marks).
    starts_at            timestamptz NOT NULL,
    pom_result           bigint,
    requested_by         bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    requested_by_name    text NOT NULL,
    requested_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_schedule_upcoming ON campaign_schedule (organization, starts_at);
