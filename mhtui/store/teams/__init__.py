"""Teams and their rosters, a new team's starting content, and the home screen's figures."""
