"""The access log refuses TRUNCATE, as it refuses UPDATE and DELETE.

The append-only trigger of `AccessLog.Meta.triggers` is row-level, and TRUNCATE fires no
row-level trigger: one statement would have emptied the log. A statement-level BEFORE TRUNCATE
trigger refuses it. The only way round it is a session that sets `cse_portal.allow_truncate`
to `on`: the test run's connections do (settings.py, CSE_ENV=test), because Django empties the
test database with TRUNCATE after each browser test; nothing else does.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION cse_portal_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cse_portal.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The % table is append-only: TRUNCATE is refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER access_log_refuses_truncate
    BEFORE TRUNCATE ON cse_portal_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION cse_portal_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER access_log_refuses_truncate ON cse_portal_accesslog;
DROP FUNCTION cse_portal_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cse_portal", "0002_officer_access_history_and_sysadmin_holds_no_agency"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
