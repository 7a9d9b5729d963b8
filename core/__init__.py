"""The toolbox every app uses; it knows no domain."""
