"""Compliance, extensions and the regional comparison in the JSON API (API.md)."""
from flask import Response, g, jsonify

from coordination import clock
from coordination.api import api, json_body, token_required
from coordination.compliance import figures, queries, schemas, sdmx
from coordination.endpoints import File, endpoint
from coordination.extensions import db
from coordination.reporting import cycles
from coordination.reporting import schemas as reporting_schemas


def iso(value):
    return value.isoformat() if value is not None else None


def row_json(row: queries.Row) -> dict:
    return {"country": row.country, "country_name": row.country_name, "report_id": row.report_id,
            "state": row.state, "compliance": row.compliance, "deadline": iso(row.deadline),
            "extended": row.extended, "submitted_at": iso(row.local_submitted_at), "days_late": row.days_late,
            "completeness": row.completeness}


def totals_json(totals) -> dict:
    return {"expected": totals.expected, "actual": totals.actual, "on_time": totals.on_time,
            "late": totals.late, "missing": totals.missing, "pending": totals.pending,
            "reporting_rate": totals.reporting_rate, "reporting_rate_on_time": totals.reporting_rate_on_time}


def cycle_ref(cycle) -> dict:
    return {"id": cycle.id, "name": cycle.name, "state": cycle.state, "deadline": iso(cycle.deadline)}


@api.get("/cycles/<int:cycle_id>/compliance")
@endpoint("Compliance of a cycle: regional totals, and the rows the user may see", tag="compliance",
          replies={200: schemas.CycleCompliance},
          description="The secretariat sees every member state; coordinators and ministry staff their own; "
                      "observers every member state once the cycle is published (404 before).")
@token_required
def cycle_compliance(cycle_id: int):
    result = queries.cycle_compliance(db.session, g.api_user, cycle_id, clock.now())
    return jsonify({"cycle": cycle_ref(result.cycle), **totals_json(result.totals),
                    "countries": [row_json(r) for r in result.rows]})


@api.post("/cycles/<int:cycle_id>/extensions")
@endpoint("Grant a member state a later deadline in this cycle (secretariat)", tag="compliance",
          body=reporting_schemas.ExtensionInput, replies={201: schemas.Extension})
@token_required
def grant_extension(cycle_id: int):
    cycles.get_cycle(db.session, cycle_id)  # 404 for an unknown (or out-of-range) id
    extension = cycles.grant_extension(db.session, g.api_user, cycle_id, json_body(), clock.now())
    return jsonify({"id": extension.id, "cycle_id": extension.cycle_id, "country": extension.country_code,
                    "deadline": iso(extension.deadline), "reason": extension.reason,
                    "granted_by": extension.granted_by_id, "granted_at": iso(extension.granted_at)}), 201


@api.get("/countries/<code>/compliance")
@endpoint("A member state's compliance in every cycle it reports in, newest first", tag="compliance",
          replies={200: list[schemas.CountryComplianceRow]},
          description="Its own users and the secretariat; 404 for everybody else.")
@token_required
def country_compliance(code: str):
    record = queries.country_record(db.session, g.api_user, code, clock.now())
    return jsonify([{"cycle_id": r.cycle_id, "cycle": r.cycle_name, "cycle_state": r.cycle_state,
                     **row_json(r)} for r in record.rows])


def cell_json(cell: figures.Cell) -> dict:
    return {"country": cell.country, "country_name": cell.country_name, "submitted": cell.submitted,
            "value": cell.value, "availability": cell.availability, "reason": cell.reason, "floor": cell.floor,
            "target": cell.target, "target_year": cell.target_year, "status": cell.status}


@api.get("/cycles/<int:cycle_id>/comparison")
@endpoint("Each indicator across member states with their national floors, targets and classification",
          tag="compliance", replies={200: schemas.Comparison},
          description="The secretariat always, everybody else once the cycle is published (404 before).")
@token_required
def cycle_comparison(cycle_id: int):
    result = figures.comparison(db.session, g.api_user, cycle_id)
    return jsonify({"cycle": cycle_ref(result.cycle),
                    "indicators": [{"code": i.code, "name": i.name, "unit": i.unit, "guarantee": i.guarantee,
                                    "required": i.required, "countries": [cell_json(c) for c in i.cells]}
                                   for i in result.indicators]})


@api.get("/cycles/<int:cycle_id>/sdmx.csv")
@endpoint("The SDG 1.3.1 figures of a published cycle in SDMX-CSV 2.0, for the UN SDG Global Database",
          tag="compliance", errors=(409,),
          replies={200: File(sdmx.MEDIA_TYPE, "SDMX-CSV 2.0.0: STRUCTURE, STRUCTURE_ID, ACTION, FREQ, "
                                              "REPORTING_TYPE, SERIES, REF_AREA, SEX, TIME_PERIOD, OBS_VALUE, "
                                              "UNIT_MEASURE, OBS_STATUS; one row per member state, series and sex")},
          description="The accepted reports' values of the SDG 1.3.1 series (SI_COV_BENFTS, ...), REF_AREA the "
                      "UN M49 code. Whoever may read the cycle's comparison: the secretariat, and everybody "
                      "else once the cycle is published (404 before); 409 for the secretariat while the cycle "
                      "is not published.")
@token_required
def cycle_sdmx(cycle_id: int):
    cycle, rows = sdmx.observations(db.session, g.api_user, cycle_id)
    response = Response(sdmx.to_csv(rows), mimetype=sdmx.MEDIA_TYPE)
    response.headers["Content-Disposition"] = f"attachment; filename={sdmx.filename(cycle)}"
    return response
