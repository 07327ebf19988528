-- Team mode, version 1: the shared journal (runs and their events), app locks, approvals, notes.

create table runbook_runs (
    run_id      text primary key,
    started_at  timestamptz not null,
    finished_at timestamptz,
    runbook     text not null,
    environment text,
    app         text,
    operator    text not null,
    mode        text not null,
    target      text not null,
    api_url     text not null,
    status      text not null default 'unfinished',
    -- Every app the run sent a write to (its target, or apps given by param or for_each).
    apps        text[] not null default '{}',
    -- The run_started event as the journal has it (params masked).
    started     jsonb not null
);
create index runbook_runs_by_time on runbook_runs (started_at desc);
create index runbook_runs_by_app on runbook_runs (app, started_at desc);
create index runbook_runs_by_operator on runbook_runs (operator, started_at desc);
create index runbook_runs_by_runbook on runbook_runs (runbook, started_at desc);
create index runbook_runs_by_status on runbook_runs (status, started_at desc);
create index runbook_runs_by_apps on runbook_runs using gin (apps);

create table runbook_events (
    id       bigserial primary key,
    run_id   text not null,
    time     timestamptz not null,
    kind     text not null,
    -- The journal record (run_id, time, event), secrets masked.
    record   jsonb not null
);
create index runbook_events_by_run on runbook_events (run_id, id);

-- Who holds an app's lock. The lock itself is a session advisory lock on lock_key: a row whose
-- session is gone is stale, and is never shown or obeyed.
create table runbook_locks (
    lock_key    bigint primary key,
    api_url     text not null,
    app         text not null,
    operator    text not null,
    run_id      text not null,
    runbook     text not null,
    since       timestamptz not null,
    heartbeat   timestamptz not null,
    backend_pid integer not null
);

create table runbook_approvals (
    run_id       text primary key,
    app          text not null,
    runbook      text not null,
    -- The API the run writes to: the approver's identity is asked of it, and of no other.
    api_url      text not null,
    requested_by text not null,
    requested_at timestamptz not null default now(),
    -- What the approver is shown: the run's plan, one line each.
    plan         jsonb not null,
    decision     text check (decision in ('approved', 'rejected', 'withdrawn')),
    decided_by   text,
    decided_at   timestamptz,
    how          text
);

create table runbook_notes (
    id       bigserial primary key,
    time     timestamptz not null default now(),
    operator text not null,
    app      text,
    text     text not null
);
create index runbook_notes_by_time on runbook_notes (time desc);
