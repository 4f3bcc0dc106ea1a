"""Coordination health in the JSON API (API.md)."""
from dataclasses import asdict

from flask import g, jsonify

from coordination import clock, database
from coordination.api import api, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.health import schemas, service


@api.get("/cycles/<int:cycle_id>/coordination")
@endpoint("Coordination health of a cycle, per member state, computed from the records",
          tag="compliance", replies={200: schemas.CycleHealth},
          description="The secretariat sees every member state; coordinators and ministry staff their own; "
                      "everybody every member state once the cycle is published (404 before).")
@token_required
@database.writes  # keeps the item figures of a finished period the first time (health_item_figures)
def cycle_coordination(cycle_id: int):
    result = service.cycle_health(db.session, g.api_user, cycle_id, clock.now())
    cycle = result.cycle
    return jsonify({"cycle": {"id": cycle.id, "name": cycle.name, "state": cycle.state,
                              "deadline": cycle.deadline.isoformat()},
                    "countries": [asdict(row) for row in result.rows]})
