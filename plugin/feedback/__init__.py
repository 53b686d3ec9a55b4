"""Help-centre feedback: "was this helpful?" votes and page views, stored per day, and the stats
file the help centre orders its knowledge base by."""
