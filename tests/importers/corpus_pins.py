"""The cells of each corpus file (../shared/corpus) that the importer does not read today, pinned.

Generated from a run of the importer against truth/NN.json; only cell ids, no text of the corpus. A change
that reads fewer cells fails tests/importers/test_corpus.py; one that reads more must update this list
(python tests/importers/corpus_pins.py prints it afresh).
"""

from __future__ import annotations

UNREAD = {
    'o01': ['sec3.other_handling.business', 'sec3.other_handling.legal_service', 'sec3.other_handling.natural_person', 'sec3.other_handling.nonprofit', 'sec3.other_handling.other_org', 'sec3.other_handling.research', 'sec3.other_handling.total'],
    'o02': ['sec3.other_handling.business', 'sec3.other_handling.legal_service', 'sec3.other_handling.natural_person', 'sec3.other_handling.nonprofit', 'sec3.other_handling.other_org', 'sec3.other_handling.research', 'sec3.other_handling.total'],
    'o03': [],
    'o04': [],
    'o05': [],
    'o06': [],
    'o07': [],
    't01': [],
    't02': ['sec2.coercion.change', 'sec2.coercion.decisions', 'sec2.coercion.prev_items', 'sec2.fees.change', 'sec2.fees.prev_items', 'sec2.licensing.change', 'sec2.licensing.decisions', 'sec2.licensing.prev_items', 'sec2.normative_docs.made', 'sec2.normative_docs.newly_published', 'sec2.normative_docs.total_published', 'sec2.other_services.change', 'sec2.other_services.decisions', 'sec2.other_services.prev_items', 'sec2.penalty.change', 'sec2.penalty.decisions', 'sec2.penalty.prev_items'],
    't03': ['sec2.coercion.prev_items', 'sec2.fees.change', 'sec2.fees.prev_items', 'sec2.licensing.prev_items', 'sec2.normative_docs.made', 'sec2.normative_docs.newly_published', 'sec2.normative_docs.total_published', 'sec2.other_services.prev_items', 'sec2.penalty.prev_items'],
    't04': ['sec2.normative_docs.in_force', 'sec3.granted.business', 'sec3.granted.legal_service', 'sec3.granted.natural_person', 'sec3.granted.nonprofit', 'sec3.granted.other_org', 'sec3.granted.research', 'sec3.granted.total', 'sec3.unable.not_held.business', 'sec3.unable.not_held.legal_service', 'sec3.unable.not_held.natural_person', 'sec3.unable.not_held.nonprofit', 'sec3.unable.not_held.other_org', 'sec3.unable.not_held.research', 'sec3.unable.not_held.total'],
    't05': ['sec2.normative_docs.in_force', 'sec2.normative_docs.issued', 'sec2.normative_docs.repealed'],
    't06': ['sec3.other_handling.business', 'sec3.other_handling.legal_service', 'sec3.other_handling.natural_person', 'sec3.other_handling.nonprofit', 'sec3.other_handling.other_org', 'sec3.other_handling.research', 'sec3.other_handling.total'],
    't07': [],
    't08': ['sec3.other_handling.business', 'sec3.other_handling.legal_service', 'sec3.other_handling.natural_person', 'sec3.other_handling.nonprofit', 'sec3.other_handling.other_org', 'sec3.other_handling.research', 'sec3.other_handling.total'],
    't09': [],
    't10': ['sec2.fees.amount_wan', 'sec3.granted.business', 'sec3.granted.legal_service', 'sec3.granted.natural_person', 'sec3.granted.nonprofit', 'sec3.granted.other_org', 'sec3.granted.research', 'sec3.granted.total', 'sec3.not_processed.confirmation.business', 'sec3.not_processed.confirmation.legal_service', 'sec3.not_processed.confirmation.natural_person', 'sec3.not_processed.confirmation.nonprofit', 'sec3.not_processed.confirmation.other_org', 'sec3.not_processed.confirmation.research', 'sec3.not_processed.confirmation.total', 'sec3.not_processed.excessive.business', 'sec3.not_processed.excessive.legal_service', 'sec3.not_processed.excessive.natural_person', 'sec3.not_processed.excessive.nonprofit', 'sec3.not_processed.excessive.other_org', 'sec3.not_processed.excessive.research', 'sec3.not_processed.excessive.total', 'sec3.other.no_correction.business', 'sec3.other.no_correction.legal_service', 'sec3.other.no_correction.natural_person', 'sec3.other.no_correction.nonprofit', 'sec3.other.no_correction.other_org', 'sec3.other.no_correction.research', 'sec3.other.no_correction.total', 'sec3.other.unpaid_fee.business', 'sec3.other.unpaid_fee.legal_service', 'sec3.other.unpaid_fee.natural_person', 'sec3.other.unpaid_fee.nonprofit', 'sec3.other.unpaid_fee.other_org', 'sec3.other.unpaid_fee.research', 'sec3.other.unpaid_fee.total', 'sec3.partly_granted.business', 'sec3.partly_granted.legal_service', 'sec3.partly_granted.natural_person', 'sec3.partly_granted.nonprofit', 'sec3.partly_granted.other_org', 'sec3.partly_granted.research', 'sec3.partly_granted.total', 'sec3.refused.internal_affairs.business', 'sec3.refused.internal_affairs.legal_service', 'sec3.refused.internal_affairs.natural_person', 'sec3.refused.internal_affairs.nonprofit', 'sec3.refused.internal_affairs.other_org', 'sec3.refused.internal_affairs.research', 'sec3.refused.internal_affairs.total', 'sec3.refused.prohibited_by_law.business', 'sec3.refused.prohibited_by_law.legal_service', 'sec3.refused.prohibited_by_law.natural_person', 'sec3.refused.prohibited_by_law.nonprofit', 'sec3.refused.prohibited_by_law.other_org', 'sec3.refused.prohibited_by_law.research', 'sec3.refused.prohibited_by_law.total', 'sec3.refused.query_service.business', 'sec3.refused.query_service.legal_service', 'sec3.refused.query_service.natural_person', 'sec3.refused.query_service.nonprofit', 'sec3.refused.query_service.other_org', 'sec3.refused.query_service.research', 'sec3.refused.query_service.total', 'sec3.refused.state_secret.business', 'sec3.refused.state_secret.legal_service', 'sec3.refused.state_secret.natural_person', 'sec3.refused.state_secret.nonprofit', 'sec3.refused.state_secret.other_org', 'sec3.refused.state_secret.research', 'sec3.refused.state_secret.total', 'sec3.unable.needs_creation.business', 'sec3.unable.needs_creation.legal_service', 'sec3.unable.needs_creation.natural_person', 'sec3.unable.needs_creation.nonprofit', 'sec3.unable.needs_creation.other_org', 'sec3.unable.needs_creation.research', 'sec3.unable.needs_creation.total', 'sec3.unable.not_held.business', 'sec3.unable.not_held.legal_service', 'sec3.unable.not_held.natural_person', 'sec3.unable.not_held.nonprofit', 'sec3.unable.not_held.other_org', 'sec3.unable.not_held.research', 'sec3.unable.not_held.total', 'sec3.unable.still_unclear.business', 'sec3.unable.still_unclear.legal_service', 'sec3.unable.still_unclear.natural_person', 'sec3.unable.still_unclear.nonprofit', 'sec3.unable.still_unclear.other_org', 'sec3.unable.still_unclear.research', 'sec3.unable.still_unclear.total'],
    't11': ['sec2.normative_docs.issued'],
    't12': [],
    't13': ['sec2.fees.amount_wan', 'sec2.normative_docs.issued', 'sec2.regulations.issued', 'sec3.not_processed.confirmation.business', 'sec3.not_processed.confirmation.legal_service', 'sec3.not_processed.confirmation.natural_person', 'sec3.not_processed.confirmation.nonprofit', 'sec3.not_processed.confirmation.other_org', 'sec3.not_processed.confirmation.research', 'sec3.not_processed.confirmation.total', 'sec3.not_processed.excessive.business', 'sec3.not_processed.excessive.legal_service', 'sec3.not_processed.excessive.natural_person', 'sec3.not_processed.excessive.nonprofit', 'sec3.not_processed.excessive.other_org', 'sec3.not_processed.excessive.research', 'sec3.not_processed.excessive.total', 'sec3.other.no_correction.business', 'sec3.other.no_correction.legal_service', 'sec3.other.no_correction.natural_person', 'sec3.other.no_correction.nonprofit', 'sec3.other.no_correction.other_org', 'sec3.other.no_correction.research', 'sec3.other.no_correction.total', 'sec3.other.unpaid_fee.business', 'sec3.other.unpaid_fee.legal_service', 'sec3.other.unpaid_fee.natural_person', 'sec3.other.unpaid_fee.nonprofit', 'sec3.other.unpaid_fee.other_org', 'sec3.other.unpaid_fee.research', 'sec3.other.unpaid_fee.total'],
}


if __name__ == "__main__":  # print the pins afresh from a run of the importer
    import json
    from pathlib import Path

    from gkxl.errors import InputError
    from gkxl.importers import import_file

    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    print("UNREAD = {")
    for f in sorted((corpus / "files").iterdir()):
        cid = f.name.split("_", 1)[0]
        truth = json.loads((corpus / "truth" / f"{cid}.json").read_text(encoding="utf-8"))
        try:
            r = import_file(f)
        except InputError:
            r = import_file(f, year=truth["year"], agency=truth["agency"])
        print(f"    {cid!r}: {sorted(k for k in truth['values'] if k not in r.report.values)!r},")
    print("}")
