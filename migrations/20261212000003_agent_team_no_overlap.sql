-- An agent's team periods never overlap: the reports join the periods to agent-days and would
-- count an agent-day twice if two matched. `mappings::agents::add` refuses an overlap with a
-- message naming the clash; this constraint keeps any other writer (a script, a race) to it.
create extension if not exists btree_gist;
alter table agent_team add constraint agent_team_periods_apart
    exclude using gist (agent_id with =, daterange(valid_from, valid_to) with &&);
