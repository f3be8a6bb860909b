"""Database triggers shared by the referral's rows (until the core lifecycle offers them)."""

from __future__ import annotations

import pgtrigger


def rows_of_draft_referrals_only(name: str) -> pgtrigger.Trigger:
    """A row trigger: rows belonging to a referral change only while the referral is a draft.

    The rule needs the parent row, which a pgtrigger.Q condition cannot see. Rows with no
    referral (a person linked to a child some other way) are not this trigger's business.
    """
    func = """
    IF TG_OP <> 'INSERT' AND OLD.referral_id IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM referrals_referral r
                   WHERE r.id = OLD.referral_id AND r.status <> 'draft') THEN
            RAISE EXCEPTION 'A sent referral cannot be changed';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.referral_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM referrals_referral r
            WHERE r.id = NEW.referral_id AND r.status <> 'draft') THEN
        RAISE EXCEPTION 'A sent referral cannot be changed';
    END IF;
    RETURN NEW;
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=func,
    )


def response_to_sent_referrals_only(name: str) -> pgtrigger.Trigger:
    """CSC's responses are recorded against a sent referral, never a draft."""
    func = """
    IF NOT EXISTS (SELECT 1 FROM referrals_referral r
                   WHERE r.id = NEW.referral_id AND r.status = 'submitted') THEN
        RAISE EXCEPTION 'Only a sent referral can be acknowledged or decided';
    END IF;
    RETURN NEW;
    """
    return pgtrigger.Trigger(
        name=name, when=pgtrigger.Before, operation=pgtrigger.Insert, func=func
    )


def never_changed(name: str) -> pgtrigger.Protect:
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)
