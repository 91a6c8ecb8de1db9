"""用户与角色: the bureau's pages to create logins from registry people, give roles and a unit, deactivate and
reset passwords, without Django's admin. Rules in `services`, views thin."""
