"""Plain-Python knowledge of Ny i Nordland: no Flet, no server. Shared by the app and (later) the server."""
