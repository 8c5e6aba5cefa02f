"""Notifications: in-app (the bell) and e-mail. `operations` creates and reads them; `mail` sends them."""
