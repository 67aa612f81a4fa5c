"""Write operations of the core domain. Views, consumers and tasks call these."""
