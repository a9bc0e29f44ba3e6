"""The dashboard's addresses, under /manage/ in every language."""

from django.urls import path

from urge.dashboard import contacts, embed, handoff_views, referrals, results, stances, views

urlpatterns = [
    path("", views.home, name="urge-dashboard"),
    path("signin/", views.signin, name="urge-signin"),
    path("verify/", views.verify, name="urge-verify"),
    path("signout/", views.signout, name="urge-signout"),
    path("password/", views.change_password, name="urge-password"),
    path("recovery/", views.recovery_codes, name="urge-recovery"),
    path("c/<slug:slug>/", views.campaign, name="urge-dashboard-campaign"),
    path("c/<slug:slug>/audit/", views.audit_log, name="urge-dashboard-audit"),
    path(
        "c/<slug:slug>/<slug:cohost_slug>/supporters/",
        views.supporters,
        name="urge-dashboard-supporters",
    ),
    path(
        "c/<slug:slug>/<slug:cohost_slug>/export.csv",
        handoff_views.export,
        name="urge-dashboard-export",
    ),
    path(
        "c/<slug:slug>/<slug:cohost_slug>/changes.csv",
        handoff_views.changes,
        name="urge-dashboard-changes",
    ),
    path(
        "c/<slug:slug>/<slug:cohost_slug>/suppression.csv",
        handoff_views.suppression,
        name="urge-dashboard-suppression",
    ),
    path(
        "c/<slug:slug>/<slug:cohost_slug>/handoff/",
        handoff_views.page,
        name="urge-dashboard-handoff",
    ),
    path(
        "c/<slug:slug>/<slug:cohost_slug>/embed/",
        embed.embed,
        name="urge-dashboard-embed",
    ),
    path("c/<slug:slug>/results/", results.results, name="urge-dashboard-results"),
    path("c/<slug:slug>/referrals/", referrals.referrals, name="urge-dashboard-referrals"),
    path("c/<slug:slug>/results.csv", results.results_csv, name="urge-dashboard-results-csv"),
    path("c/<slug:slug>/stances/", stances.stance_list, name="urge-dashboard-stances"),
    path(
        "c/<slug:slug>/stances/<slug:bioguide>/",
        stances.edit_stance,
        name="urge-dashboard-stance",
    ),
    path("contacts/", contacts.contact_list, name="urge-dashboard-contacts"),
    path("contacts/<slug:bioguide>/", contacts.contact_edit, name="urge-dashboard-contact"),
]
