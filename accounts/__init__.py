"""Users: their roles (a Django group each), their profiles (the department or
community an account works for), the permission helpers and the registry every app
adds its rules to (``permissions``), the login form and the role backend, and the
management of users in the application by the admin role."""
