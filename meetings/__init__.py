"""The monthly meetings: agenda, roll, minutes, photos and check-in."""
