-- A contact list added to a running job (POM `AddContactListToJob`, issue 20) is a campaign
-- action like the others: a pending row before POM is asked, then POM's answer.
alter table campaign_action drop constraint campaign_action_action_check;
alter table campaign_action add constraint campaign_action_action_check
    check (action in ('start', 'pause', 'resume', 'stop', 'schedule', 'add_list'));
