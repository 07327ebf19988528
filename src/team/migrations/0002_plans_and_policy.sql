-- Team mode, version 2: approvals of an exact plan (one request per plan, a run may ask again
-- when it would send a write its approved plan does not hold), with a reason for a rejection, an
-- expiry and the moment the approval was used; and the team's policy per app.

create table runbook_plan_approvals (
    id           bigserial primary key,
    run_id       text not null,
    app          text not null,
    runbook      text not null,
    -- The API the run writes to: the approver's identity is asked of it, and of no other.
    api_url      text not null,
    requested_by text not null,
    requested_at timestamptz not null default now(),
    -- When the run stops waiting (its --approval-timeout).
    expires_at   timestamptz,
    -- What the requester saw and will send: lines, writes (app, method, path, body), params,
    -- the runbook's content hash.
    plan         jsonb not null,
    decision     text check (decision in ('approved', 'rejected', 'withdrawn')),
    decided_by   text,
    decided_at   timestamptz,
    how          text,
    reason       text,
    -- When the run first sent a write under this approval: an approval not used within its
    -- validity lapses.
    used_at      timestamptz
);
create index runbook_plan_approvals_by_run on runbook_plan_approvals (run_id, id);
create index runbook_plan_approvals_waiting on runbook_plan_approvals (requested_at)
    where decision is null;

-- The team's policy for an app: a run applies the stricter of this and its checkout's
-- environments.yaml, so that an old checkout never lowers the bar.
create table runbook_policy (
    app        text primary key,
    protected  boolean not null default false,
    approvals  integer not null default 0 check (approvals between 0 and 1),
    changed_by text not null,
    changed_at timestamptz not null default now()
);
