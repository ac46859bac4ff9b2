package emulator

import (
	"net/http"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// widgets is a resource type that exists only in tests, to exercise the
// machinery later types rely on: PUT-style operations, failures, operations
// on resources inside a group, and group deletion reaching them. It is built
// exactly as a real type would be (see README.md).
type widgets struct {
	s *service.Env
}

func newWidgets(s *service.Env) service.ResourceType { return &widgets{s: s} }

const (
	widgetPath      = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Emulator/widgets/{widgetName}"
	widgetType      = "Microsoft.Emulator/widgets"
	kindWidgetWrite = "Microsoft.Emulator/widgets/write"
	kindWidgetFail  = "Microsoft.Emulator/widgets/failingWrite"
	kindWidgetDel   = "Microsoft.Emulator/widgets/delete"
	widgetDuration  = 20 * time.Second
)

func (w *widgets) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodPut, Pattern: widgetPath, Operation: "Widgets_CreateOrUpdate", Handle: w.put},
		{Method: http.MethodGet, Pattern: widgetPath, Operation: "Widgets_Get", Handle: w.get},
		{Method: http.MethodDelete, Pattern: widgetPath, Operation: "Widgets_Delete", Handle: w.delete},
	}
}

func (w *widgets) OperationKinds() []lro.Kind {
	fail := lro.ProvisioningKind(kindWidgetFail, "Microsoft.Emulator", widgetDuration)
	fail.Complete = func(*store.Tx, *lro.Operation) error { return arm.Conflict("The widget refused to be built.") }
	return []lro.Kind{
		lro.ProvisioningKind(kindWidgetWrite, "Microsoft.Emulator", widgetDuration),
		fail,
		{
			Name: kindWidgetDel, Namespace: "Microsoft.Emulator", Duration: widgetDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil },
		},
	}
}

type widget struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	Location   string           `json:"location"`
	Properties widgetProperties `json:"properties"`
}

type widgetProperties struct {
	ProvisioningState string `json:"provisioningState"`
	// Fail makes the write fail when it completes; DurationSeconds
	// overrides the simulated duration.
	Fail            bool `json:"fail,omitempty"`
	DurationSeconds int  `json:"durationSeconds,omitempty"`
}

func (w *widgets) id(req *service.Request) string {
	return arm.ResourceGroupID(req.Param("subscriptionId"), req.Param("resourceGroupName")) +
		"/providers/" + widgetType + "/" + req.Param("widgetName")
}

func (w *widgets) put(req *service.Request) (arm.Response, error) {
	var in widget
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := w.s.Store.Update(func(tx *store.Tx) error {
		if _, err := resources.RequireWritableGroup(w.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName")); err != nil {
			return err
		}
		id := w.id(req)
		_, exists := tx.Get(id)
		kind := kindWidgetWrite
		if in.Properties.Fail {
			kind = kindWidgetFail
		}
		op, err := w.s.Ops.Start(tx, lro.Spec{
			Kind: kind, ResourceID: id, Location: in.Location, Method: http.MethodPut, APIVersion: req.APIVersion,
			Duration: time.Duration(in.Properties.DurationSeconds) * time.Second,
		})
		if err != nil {
			return err
		}
		wd := widget{ID: id, Name: req.Param("widgetName"), Type: widgetType, Location: in.Location, Properties: in.Properties}
		status := http.StatusCreated
		wd.Properties.ProvisioningState = "Creating"
		if exists {
			status, wd.Properties.ProvisioningState = http.StatusOK, "Updating"
		}
		resp = w.s.Ops.WithPolling(req.Base, op, arm.JSON(status, wd))
		return service.PutJSON(tx, id, wd)
	})
	return resp, err
}

func (w *widgets) get(req *service.Request) (arm.Response, error) {
	wd, ok, err := service.GetJSON[widget](w.s.Store, w.id(req))
	if err != nil {
		return arm.Response{}, err
	}
	if !ok {
		return arm.Response{}, arm.ResourceNotFound(widgetType, req.Param("widgetName"), req.Param("resourceGroupName"))
	}
	return arm.JSON(http.StatusOK, wd), nil
}

func (w *widgets) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := w.s.Store.Update(func(tx *store.Tx) error {
		id := w.id(req)
		if _, ok := tx.Get(id); !ok {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		op, err := w.s.Ops.Start(tx, lro.Spec{Kind: kindWidgetDel, ResourceID: id, Method: http.MethodDelete, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		resp = w.s.Ops.Accepted(req.Base, op)
		return lro.SetProvisioningState(tx, id, "Deleting")
	})
	return resp, err
}
