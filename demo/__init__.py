"""Demo data for the README's run command (never in the app bundle, never imported by the server):
a demo family, clearly labelled demo hosts with a demo coordinator, and the demo hosts' responder,
which answers visit requests the way a real host does, over HTTP with the host's own token.

    python -m demo seed --server http://127.0.0.1:8551      # family, hosts, codes (on stdout)
    python -m demo respond --server http://127.0.0.1:8551   # demo hosts answer requests
"""
