-- Contact files larger than POM's file limit go as parts, one import after another (issue 23).
-- Where the parts lie in the converted file is fixed when the upload is sent, so a restart sends
-- the very same parts whatever the setting says by then; `part` is the one being sent (1-based)
-- and moves on in the same statement that adds the finished part's counters to
-- `pom_counters_done`, so no part is sent twice. Uploads sent before this are one part.
ALTER TABLE contact_upload
    -- Bytes of the header row every part starts with (0: the data source reads no header).
    ADD COLUMN part_header_bytes bigint,
    -- Where each part's rows end in `converted`; null: the whole file is one part.
    ADD COLUMN part_ends bigint[],
    ADD COLUMN part integer NOT NULL DEFAULT 1 CHECK (part >= 1),
    -- POM's counters of the parts already imported; `pom_counters` holds these plus the
    -- current part's.
    ADD COLUMN pom_counters_done jsonb;
