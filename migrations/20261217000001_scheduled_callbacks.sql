-- Callbacks scheduled through POM's web service (`ScheduleCallBack`, feed contract version 3)
-- were arranged on no call: they have no session.
alter table callback alter column session_id drop not null;

-- The callback dashboard and the callbacks API read open callbacks from `report_callback` (by
-- organization and state) and look each one's creation up by its id.
create index callback_by_id on callback (callback_id);
