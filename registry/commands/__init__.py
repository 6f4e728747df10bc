"""Every `commons` command, one module per concept, assembled in `cli`.

Commands are thin: they read options, call the package that does the work and
print. Each imports that package inside the command, so `commons --help` loads
click and nothing else.
"""
