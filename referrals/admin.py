# Referrals are case data: the admin manages reference data only, never case records, so
# nothing of this app is registered here.
