"""Business rules shared by the selection workflows (principal selection, mid-level competition).

Plain functions over plain data: each is tested on its own, the workflows call them at their gates.
"""
