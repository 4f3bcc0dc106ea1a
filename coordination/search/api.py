"""The search in the JSON API (API.md, /api/v1/search)."""
from flask import g, jsonify, request

from coordination.api import api, query_number, query_page, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.search import results, schemas


@api.get("/search")
@endpoint("Find items and reports the user may read by the words in them, most relevant first", tag="search",
          query=schemas.SearchQuery, replies={200: schemas.SearchResults}, errors=(422,),
          description="Any text is a query: quotes, %, _ and operators are plain characters; a query with no "
                      "word of 3 letters or more finds nothing. Only the newest 200 matches are ranked and paged: "
                      "`more` says when more match.")
@token_required
def search():
    page, per_page = query_page(), query_number("per_page", 20, 100)
    found, total, more, _ = results.find(db.session, g.api_user, request.args.get("q", ""), page, per_page)
    return jsonify({"results": [r.as_json() for r in found], "total": total, "more": more,
                    "page": page, "per_page": per_page})
