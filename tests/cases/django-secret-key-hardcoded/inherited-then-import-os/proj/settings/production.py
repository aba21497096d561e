from .base import *
import os

DEBUG = False
