"""The edges: the `mairie` command line and the Streamlit app. Nothing imports this package."""
