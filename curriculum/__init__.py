"""The Coproduce domain: the case template, course content and its versions.

Pure Python: nothing here imports Flask or SQLAlchemy (a test makes sure).
"""
