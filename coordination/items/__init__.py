"""Action items: the workflow, the service, the pages, the API and the diagram."""
