# Models arrive with the app's issue.
