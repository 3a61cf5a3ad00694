"""Reading articles: bytes → checked, cleaned text, its publication data, and a build's inputs."""
