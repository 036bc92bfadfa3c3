"""python -m hankkeet"""
from hankkeet.cli import main

main()
