LDAP_URI = "ldap://localhost"
