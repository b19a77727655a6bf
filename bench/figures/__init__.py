"""One module per figure (an area of the app), each registering its measurements with
``@figure``.
"""
