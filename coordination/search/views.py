"""The search page: the header's box sends its words here."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from coordination import paging
from coordination.extensions import db
from coordination.items.queries import ListPage
from coordination.search import queries, results
from coordination.search.text import MAX_QUERY

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def search():
    query = request.args.get("q", "")[:MAX_QUERY]
    number = paging.requested_page(request.args)
    found, total, more, words = results.find(db.session, current_user, query, number, queries.PER_PAGE)
    return render_template("search/results.html", query=query, words=words, more=more,
                           page=ListPage(found, total, number, queries.PER_PAGE))
