-- Seed 001's "Campaign – Organization – Team – Contact list" mapping (issue 21): which teams work
-- a POM campaign (reports "mapping job name to team") and which team a POM agent belongs to, with
-- effective dates (reports "mapping agent to team").

create table campaign_team (
    organization text not null,
    -- POM's campaign name, as POM spells it (stable across jobs; ids are POM's own).
    campaign_name text not null,
    team_id bigint not null references team,
    created_at timestamptz not null default now(),
    created_by text not null,
    primary key (organization, campaign_name, team_id)
);

create table agent_team (
    agent_team_id bigint generated always as identity primary key,
    -- POM's agent id (the id agents sign in to POM with).
    agent_id text not null check (length(btrim(agent_id)) between 1 and 64),
    team_id bigint not null references team,
    valid_from date not null,
    -- Exclusive end; null: still in this team.
    valid_to date check (valid_to is null or valid_to > valid_from),
    created_at timestamptz not null default now(),
    created_by text not null
);
create index agent_team_by_agent on agent_team (agent_id, valid_from);
