"""The reference data the desk runs on, kept by the administrator: units and their heads, LPSEs, provider
contracts, SLA policies, staff users and e-Purchasing transactions.

Table items (one table; every change also writes an audit item, see :mod:`desk.admin.audit`):

- ``pk=UNIT, sk=<id>``: a unit of the tree (directorate, Subdit, LPSE, desk) and its head;
- ``pk=LPSE, sk=<id>``: an LPSE taking user-ID requests, its time zone and service standard;
- ``pk=CONTRACT, sk=<number>``: a provider's contract with LKPP;
- ``pk=SLA, sk=<request type>`` or ``<request type>#<lpse id>``: a stored SLA policy;
- ``pk=TXN, sk=<id>``: an imported e-Purchasing transaction (``gsi2pk=TXN#<YYYY-MM>``,
  ``gsi2sk=<date>#<id>``).

Staff users live in the Cognito user pool only (groups are roles, ``custom:unit`` the unit).
Readers elsewhere in the desk use the small interfaces of each module (``policy_for``, ``get_unit``,
``head_of``, ``escalation_chain``, ``check_contract``, ``get_transaction``, ``public_list``), which read
through caches refreshed at most once a minute.
"""
