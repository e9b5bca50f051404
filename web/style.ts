/** The pages' one stylesheet: readable type, strong contrast, visible focus, and one column on a phone. */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:#0645ad}a:visited{color:#5a2d91}
:focus-visible{outline:3px solid #f9b000;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header{background:#12355b;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center}
header a,header a:visited{color:#fff}
header .brand{font-weight:700;font-size:1.2rem;text-decoration:none}
header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
header nav a[aria-current=page]{text-decoration:underline 3px}
header .who{margin-left:auto;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header button{background:none;border:1px solid #fff;color:#fff;padding:4px 10px;border-radius:4px;font:inherit;cursor:pointer}
main{max-width:60rem;margin:0 auto;padding:16px}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem;margin:1rem 0 .25rem}
.flash{padding:12px 16px;border-radius:4px;margin:8px 0 16px;border-left:6px solid}
.flash.ok{background:#e7f4ea;border-color:#1e7b34}.flash.error{background:#fdecea;border-color:#b3261e}
.muted{color:#4a4a4a}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85rem;background:#eee}
.badge.late{background:#b3261e;color:#fff}.badge.turn{background:#1e7b34;color:#fff}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #ccc;vertical-align:top}
th{background:#f3f3f3}
.card{border:1px solid #bbb;border-radius:6px;padding:12px 16px;margin:12px 0}
.card.turn{border-color:#1e7b34;border-width:2px}
form.action{margin:12px 0;padding:12px;background:#f7f7f7;border-radius:6px}
label{display:block;font-weight:600;margin:8px 0 2px}
label.inline{display:inline;font-weight:400}
.saved-views form.inline{display:inline;margin-left:8px}
input[type=text],input[type=email],input[type=date],input[type=number],select,textarea{display:block}
input[type=text],input[type=email],input[type=date],input[type=number],select,textarea{width:100%;max-width:32rem;padding:8px;font:inherit;border:1px solid #767676;border-radius:4px}
textarea{min-height:5rem}
button.primary,button.secondary,button.danger{font:inherit;padding:8px 16px;border-radius:4px;border:2px solid #12355b;margin:8px 8px 0 0;cursor:pointer}
button.primary{background:#12355b;color:#fff}button.secondary{background:#fff;color:#12355b}
button.danger{background:#b3261e;border-color:#b3261e;color:#fff}
.hint{font-size:.9rem;color:#4a4a4a;margin:0}
.report-text{white-space:pre-wrap}
ol.timeline{list-style:none;padding:0}ol.timeline li{padding:6px 0;border-bottom:1px solid #e3e3e3}
ol.timeline time{display:block;font-size:.85rem;color:#4a4a4a}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
form.filters{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:flex-end;margin:12px 0;padding:12px;background:#f7f7f7;border-radius:6px}
form.filters .field{flex:1 1 12rem}form.filters label.inline{align-self:center}
input[type=search]{display:block;width:100%;padding:8px;font:inherit;border:1px solid #767676;border-radius:4px}
ul.facets{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 12px;margin:4px 0 12px}
ul.facets a[aria-current]{font-weight:700;text-decoration:none}
nav.pager{margin:12px 0;display:flex;gap:16px}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:0;padding:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
.error-summary{border:4px solid #b3261e;border-radius:4px;padding:12px 16px;margin:8px 0 16px}
.error-summary h2{margin:0 0 8px}.error-summary p{margin:0 0 8px}.error-summary ul{margin:0;padding-left:20px}
.error-summary a,.error-summary a:visited{color:#b3261e;font-weight:700}
.error-message{color:#b3261e;font-weight:700;margin:2px 0}
[aria-invalid=true]{border:2px solid #b3261e!important}
.notice{padding:12px 16px;border-radius:4px;margin:8px 0 16px;background:#eef2f7;border-left:6px solid #12355b}
.tag{display:inline-block;padding:0 8px;margin-right:8px;border-radius:3px;font-size:.9rem;font-weight:700;background:#12355b;color:#fff}
ol.timeline li.decision{border-left:4px solid #12355b;padding-left:10px}
ol.timeline details.steps{margin:2px 0 0}ol.timeline details.steps summary{font-weight:400;color:#4a4a4a}
ol.timeline details.steps ol{list-style:none;padding-left:16px;margin:4px 0 0}ol.timeline details.steps li{border-bottom:0;padding:2px 0}
header .menu{display:none;margin:0}
.chart{margin:12px 0 24px}.chart svg{display:block;width:100%;height:auto;max-width:32rem;margin-bottom:8px}
@media (max-width:40rem){header{position:relative;padding:6px 12px;gap:8px 12px}header .brand{font-size:1.1rem}header .wide{display:none}header .menu{display:block}header .menu summary{border:1px solid #fff;border-radius:4px;padding:4px 10px}header .menu-panel{position:absolute;left:0;right:0;top:100%;z-index:5;background:#12355b;padding:4px 16px 12px;box-shadow:0 4px 8px rgba(0,0,0,.35)}header .menu-panel nav ul{flex-direction:column;gap:0}header .menu-panel nav a{display:block;padding:10px 0}header .menu-panel p{margin:8px 0}}
@media (max-width:40rem){main{padding:12px}table.stack thead{display:none}table.stack tr{display:block;border-bottom:2px solid #ccc;padding:6px 0}table.stack td{display:block;border:0;padding:2px 0}table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
`;
